import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { VigilError } from '@vigil/common';
import { BUILTIN_RULESET, resolveRulesetPath } from '@vigil/wazuh-format';
import { loadDecoders, type DecoderLoadResult, type DecoderSource } from '../core/decoders/load-decoders.ts';
import { formatProblem } from '../core/decoders/decoder-types.ts';

export { BUILTIN_RULESET, resolveRulesetPath };

export type RulesetFileKind = 'decoders' | 'rules' | 'lists' | 'unknown';

/** Tells a decoder file from a rule file by its first element (comments and `<var>` skipped). */
export function classifyRulesetXml(text: string): RulesetFileKind {
  const stripped = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<var\b[\s\S]*?<\/var>/g, '');
  const m = /<([A-Za-z_][\w-]*)/.exec(stripped);
  if (!m) return 'unknown';
  if (m[1] === 'decoder') return 'decoders';
  if (m[1] === 'group' || m[1] === 'rule') return 'rules';
  return 'unknown';
}

function xmlIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.xml'))
    .map((n) => join(dir, n));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The XML files of one ruleset path: `<path>/decoders/*.xml` and `<path>/rules/*.xml` for a ruleset folder,
 * otherwise the `*.xml` of the folder (or the file itself), each recognised by its content.
 */
export function rulesetXmlFiles(path: string): Array<{ file: string; kind: RulesetFileKind; text: string }> {
  let files: string[];
  try {
    if (statSync(path).isFile()) files = [path];
    else if (isDir(join(path, 'decoders')) || isDir(join(path, 'rules'))) {
      files = [join(path, 'decoders'), join(path, 'rules')].filter(isDir).flatMap(xmlIn);
    } else files = xmlIn(path);
  } catch (cause) {
    throw new VigilError('RULESET_INVALID', `${path}: cannot read ruleset: ${(cause as Error).message}`, { cause });
  }
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    return { file, kind: classifyRulesetXml(text), text };
  });
}

/** Decoder sources of several ruleset paths, sorted by basename across all of them as Wazuh sorts them. */
export function decoderSources(paths: readonly string[]): DecoderSource[] {
  const all = paths.flatMap((p) => rulesetXmlFiles(resolveRulesetPath(p))).filter((f) => f.kind === 'decoders');
  all.sort((a, b) => (basename(a.file) < basename(b.file) ? -1 : basename(a.file) > basename(b.file) ? 1 : 0));
  return all.map(({ file, text }) => ({ file, text }));
}

/**
 * Reads and compiles the decoders of the given ruleset paths. Refuses (VigilError RULESET_INVALID, every problem
 * as `file:line: what is wrong`) when any file has an error; warnings are returned for the caller to log.
 */
export function loadDecoderFiles(paths: readonly string[]): DecoderLoadResult {
  const result = loadDecoders(decoderSources(paths));
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatProblem);
    throw new VigilError('RULESET_INVALID', `decoders have ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return result;
}
