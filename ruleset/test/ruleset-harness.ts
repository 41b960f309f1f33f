import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
// Loading a ruleset and running a case are ordinary code of the CLI (`vigil ruletest`); the tests use the same.
export { loadRuleset, runCase, type LoadedRuleset } from '@vigil/cli';
export { verdict, type CaseOutcome } from '@vigil/wazuh-format';

/** Vigil's own ruleset: this folder's parent. */
export const VIGIL_RULESET = resolve(import.meta.dirname, '..');

export interface RuleDeclaration {
  id: string;
  level: number;
  file: string;
  /** The rule has a condition worth a must-not-match case (a pattern, field, correlation or address test). */
  conditional: boolean;
}

const CONDITIONS = /<(match|regex|field|srcip|dstip|user|id|url|action|status|program_name|hostname|extra_data|location|if_matched_sid|if_matched_group|time|weekday|list)\b/;

/**
 * The rules declared in a folder of rule files, read from the XML itself (not from an engine's compiled form), so
 * that the coverage check does not depend on what an engine keeps.
 */
export function declaredRules(rulesDir: string): RuleDeclaration[] {
  const out: RuleDeclaration[] = [];
  for (const name of readdirSync(rulesDir).filter((n) => n.endsWith('.xml')).sort()) {
    const text = readFileSync(join(rulesDir, name), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    for (const m of text.matchAll(/<rule\s([^>]*)>([\s\S]*?)<\/rule>/g)) {
      const attrs = m[1] as string;
      const id = /\bid="(\d+)"/.exec(attrs)?.[1];
      const level = Number(/\blevel="(\d+)"/.exec(attrs)?.[1] ?? NaN);
      if (id === undefined) continue;
      const body = (m[2] as string).replace(/<mitre>[\s\S]*?<\/mitre>/g, '');
      out.push({ id, level, file: basename(name), conditional: CONDITIONS.test(body) || /\bfrequency=/.test(attrs) });
    }
  }
  return out;
}
