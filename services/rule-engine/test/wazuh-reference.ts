import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDecoders, decoderSources, type DecoderSet } from '@vigil/decoder';
import { loadRules, type RuleLoadResult } from '../src/core/load-rules.ts';
import { readRulesetFiles } from '@vigil/wazuh-format';
// The reference data and the .ini reader are @vigil/wazuh-format's: one reading of Wazuh's test files for both engines.
import { parseWazuhIni, wazuhRulesetDir as referenceDir, type IniSections } from '@vigil/wazuh-format/testing';

export { parseWazuhIni, type IniSections };

/** The Wazuh ruleset used as reference data (with rules/ and decoders/): $WAZUH_RULESET_DIR, else ../shared/wazuh-ruleset beside the repo. */
export function wazuhRulesetDir(): string | undefined {
  return referenceDir(['rules', 'decoders']);
}

export const SKIP_REASON = 'Wazuh ruleset not found (set WAZUH_RULESET_DIR to a copy with decoders/, rules/, lists/ and tests/)';

/**
 * The upstream harness edits base rule 60000 so that Windows eventchannel tests (given as the agent's JSON) reach
 * the Windows rules through the JSON decoder; the same edit, in memory.
 */
export function harnessEdit(file: string, text: string): string {
  if (!file.endsWith('0575-win-base_rules.xml')) return text;
  return text.replace(/<category>ossec<\/category>\s*<decoded_as>windows_eventchannel<\/decoded_as>/, '<decoded_as>json</decoded_as>');
}

/** Decoders and rules of the Wazuh ruleset, optionally with the test ruleset, as the upstream harness loads them. */
export function loadWazuhReference(dir: string, withTests: boolean, edit = true): { decoders: DecoderSet; rules: RuleLoadResult } {
  const paths = withTests ? [dir, join(dir, 'tests', 'ruleset')] : [dir];
  const decoders = loadDecoders(decoderSources(paths));
  if (decoders.errors.length > 0) throw new Error(`decoders: ${decoders.errors.length} errors`);
  const { sources, lists } = readRulesetFiles(paths);
  const rules = loadRules(
    sources.map((s) => ({ file: s.file, text: edit ? harnessEdit(s.file, s.text) : s.text })),
    { lists },
  );
  return { decoders: decoders.set, rules };
}

export function readIni(dir: string, file: string): IniSections {
  return parseWazuhIni(readFileSync(join(dir, 'tests', file), 'utf8'));
}
