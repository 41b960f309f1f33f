import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';
import { loadRules, type RuleLoadResult, type RuleSource } from '../core/load-rules.ts';

function xmlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.xml'))
    .sort()
    .map((n) => join(dir, n));
}

/** Rule files of a ruleset path: `<path>/rules/*.xml` if that folder exists, else `<path>/*.xml`, or the file. */
export function ruleFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  try {
    if (statSync(join(path, 'rules')).isDirectory()) return xmlFilesIn(join(path, 'rules'));
  } catch {
    // no rules/ folder: the path holds the XML itself
  }
  return xmlFilesIn(path);
}

/** Reads and compiles every rule file; refuses to go on when any file has an error (file:line in the message). */
export function loadRulesetFiles(paths: readonly string[]): RuleLoadResult {
  const sources: RuleSource[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = ruleFiles(path);
    } catch (cause) {
      throw new VigilError('RULESET_INVALID', `${path}: cannot read ruleset: ${(cause as Error).message}`, { cause });
    }
    for (const file of files) sources.push({ file, text: readFileSync(file, 'utf8') });
  }
  const result = loadRules(sources);
  if (result.errors.length > 0) {
    const lines = result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
    throw new VigilError('RULESET_INVALID', `ruleset has ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return result;
}
