import { VigilError } from '@vigil/common';
import { readRulesetFiles } from '@vigil/wazuh-format';
import { formatRuleProblem, loadRules, type RuleLoadResult } from '../core/load-rules.ts';

/**
 * Reads (with `readRulesetFiles` of @vigil/wazuh-format: rule files and CDB lists) and compiles the rules of the
 * given ruleset paths; refuses to go on when any file has an error (file:line in the message).
 */
export function loadRulesetFiles(paths: readonly string[], options: { geoip?: boolean } = {}): RuleLoadResult {
  const { sources, lists } = readRulesetFiles(paths);
  const result = loadRules(sources, { lists, ...options });
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatRuleProblem);
    throw new VigilError('RULESET_INVALID', `ruleset has ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return result;
}
