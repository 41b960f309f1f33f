import { basename } from 'node:path';

/** What a ruleset file holds. */
export type RulesetFileKind = 'decoders' | 'rules' | 'lists' | 'unknown';

/** One file of a ruleset as read: its path and its text. */
export interface RulesetSource {
  file: string;
  text: string;
}

/** A ruleset file with what it was recognised as. */
export interface ClassifiedRulesetFile extends RulesetSource {
  kind: RulesetFileKind;
}

/** A CDB list in source form (`key:value` lines). */
export interface ListSource {
  /** The list's name relative to its ruleset's lists/ folder, e.g. `malicious-ioc/malicious-ip`. */
  name: string;
  file: string;
  text: string;
}

/** Tells a decoder file from a rule file by its first element (comments and `<var>` skipped). */
export function classifyRulesetXml(text: string): RulesetFileKind {
  const stripped = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<var\b[\s\S]*?<\/var>/g, '');
  const m = /<([A-Za-z_][\w-]*)/.exec(stripped);
  if (!m) return 'unknown';
  if (m[1] === 'decoder') return 'decoders';
  if (m[1] === 'group' || m[1] === 'rule') return 'rules';
  return 'unknown';
}

/** Orders ruleset files by basename, whatever folder they come from, as Wazuh orders decoder files. */
export function byBasename(a: { file: string }, b: { file: string }): number {
  const x = basename(a.file);
  const y = basename(b.file);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether a file under a ruleset's `lists/` folder is a list source (compiled `.cdb` files and notes are not). */
export function isListSourceFile(name: string): boolean {
  return !name.endsWith('.cdb') && !name.endsWith('.md');
}
