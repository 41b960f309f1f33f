import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VigilError } from '@vigil/common';
import { resolveRulesetPath } from '@vigil/wazuh-format';
import type { ListSource } from '../core/cdb-lists.ts';
import { formatRuleProblem, loadRules, type RuleLoadResult, type RuleSource } from '../core/load-rules.ts';

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function xmlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.xml'))
    .sort()
    .map((n) => join(dir, n));
}

/** Tells a rule file from a decoder file by its first element (comments and `<var>` skipped). */
function isRuleFile(text: string): boolean {
  const stripped = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<var\b[\s\S]*?<\/var>/g, '');
  const m = /<([A-Za-z_][\w-]*)/.exec(stripped);
  return m !== null && (m[1] === 'group' || m[1] === 'rule');
}

/** Rule files of a ruleset path: `<path>/rules/*.xml` if that folder exists, else the rule files among `<path>/*.xml`, or the file. */
export function ruleFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  if (isDir(join(path, 'rules'))) return xmlFilesIn(join(path, 'rules'));
  return xmlFilesIn(path).filter((f) => isRuleFile(readFileSync(f, 'utf8')));
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (isDir(full)) walk(full, out);
    else out.push(full);
  }
}

/** The CDB lists (source form) of a ruleset path: every file under `<path>/lists/`, named by its relative path. */
export function listSources(path: string): ListSource[] {
  const dir = join(path, 'lists');
  if (!isDir(dir)) return [];
  const files: string[] = [];
  walk(dir, files);
  return files
    .filter((f) => !f.endsWith('.cdb') && !f.endsWith('.md'))
    .map((file) => ({ name: relative(dir, file), file, text: readFileSync(file, 'utf8') }));
}

/** Reads the rule files and lists of several ruleset paths (`builtin` is Vigil's own ruleset). */
export function readRulesetFiles(paths: readonly string[]): { sources: RuleSource[]; lists: ListSource[] } {
  const sources: RuleSource[] = [];
  const lists: ListSource[] = [];
  for (const p of paths) {
    const path = resolveRulesetPath(p);
    try {
      for (const file of ruleFiles(path)) sources.push({ file, text: readFileSync(file, 'utf8') });
      if (isDir(path)) lists.push(...listSources(path));
    } catch (cause) {
      throw new VigilError('RULESET_INVALID', `${path}: cannot read ruleset: ${(cause as Error).message}`, { cause });
    }
  }
  return { sources, lists };
}

/** Reads and compiles every rule file; refuses to go on when any file has an error (file:line in the message). */
export function loadRulesetFiles(paths: readonly string[], options: { geoip?: boolean } = {}): RuleLoadResult {
  const { sources, lists } = readRulesetFiles(paths);
  const result = loadRules(sources, { lists, ...options });
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatRuleProblem);
    throw new VigilError('RULESET_INVALID', `ruleset has ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return result;
}
