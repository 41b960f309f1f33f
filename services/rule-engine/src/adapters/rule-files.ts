import { VigilError } from '@vigil/common';
import { readOssecConfRuleset, readRulesetFiles } from '@vigil/wazuh-format';
import { formatRuleProblem, loadRules, type RuleLoadResult } from '../core/load-rules.ts';
import type { RuleSemantics } from '../core/rule-types.ts';

/** How the rule files are found and compiled, beside their paths (the workers of the pool load with the same). */
export interface RuleFileOptions {
  geoip?: boolean;
  /**
   * An OSSEC or Wazuh manager's `ossec.conf`: its `<rules>` / `<ruleset>` block names the rule files and CDB lists,
   * loaded in its order, instead of the ruleset paths.
   */
  ossecConf?: string;
  /** Correlation semantics (`ruleEngine.semantics`): Wazuh's (default) or OSSEC's. */
  semantics?: RuleSemantics;
}

/**
 * Reads (with `readRulesetFiles` or `readOssecConfRuleset` of @vigil/wazuh-format: rule files and CDB lists) and
 * compiles the rules of the given ruleset paths, or of an `ossec.conf`; refuses to go on when any file has an error
 * (file:line in the message).
 */
export function loadRulesetFiles(paths: readonly string[], options: RuleFileOptions = {}): RuleLoadResult {
  const { geoip, ossecConf, semantics } = options;
  const compileOptions = { ...(geoip !== undefined ? { geoip } : {}), ...(semantics !== undefined ? { semantics } : {}) };
  let result: RuleLoadResult;
  if (ossecConf !== undefined) {
    const { rules, lists } = readOssecConfRuleset(ossecConf);
    result = loadRules(rules, { lists, order: 'given', ...compileOptions });
  } else {
    const { sources, lists } = readRulesetFiles(paths);
    result = loadRules(sources, { lists, ...compileOptions });
  }
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatRuleProblem);
    throw new VigilError('RULESET_INVALID', `ruleset has ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return result;
}
