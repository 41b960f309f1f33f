import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The Wazuh ruleset used as reference data: $WAZUH_RULESET_DIR, else ../shared/wazuh-ruleset beside the repo; the
 * first candidate that has every folder of `required`.
 */
export function wazuhRulesetDir(required: readonly string[] = ['decoders']): string | undefined {
  const candidates = [process.env['WAZUH_RULESET_DIR'], resolve(import.meta.dirname, '../../../../../shared/wazuh-ruleset'), '/work/shared/wazuh-ruleset'];
  return candidates.find((d): d is string => d !== undefined && required.every((sub) => existsSync(join(d, sub))));
}

/** The conformance vectors produced by Wazuh's own C functions. */
export function vectorsFile(): string | undefined {
  const dir = wazuhRulesetDir();
  const candidates = [
    process.env['WAZUH_VECTORS_FILE'],
    dir ? join(dirname(dir), 'docs', 'wazuh-regex-predecode-vectors.json') : undefined,
    '/work/shared/docs/wazuh-regex-predecode-vectors.json',
  ];
  return candidates.find((f): f is string => f !== undefined && existsSync(f));
}

/** OSSEC 3.3.0's ruleset (decoder.xml, rules/, rules.template): $OSSEC_RULESET_DIR, else ../shared/ossec-ruleset. */
export function ossecRulesetDir(): string | undefined {
  const candidates = [process.env['OSSEC_RULESET_DIR'], resolve(import.meta.dirname, '../../../../../shared/ossec-ruleset'), '/work/shared/ossec-ruleset'];
  return candidates.find((d): d is string => d !== undefined && existsSync(join(d, 'rules.template')) && existsSync(join(d, 'decoder.xml')));
}
