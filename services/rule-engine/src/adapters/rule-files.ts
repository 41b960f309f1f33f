import { basename } from 'node:path';
import { VigilError } from '@vigil/common';
import { readRulesetFiles, rulesetHash, type ListSource, type RulesetRead, type RulesetSource } from '@vigil/wazuh-format';
import { formatRuleProblem, loadRules, type RuleLoadResult } from '../core/load-rules.ts';
import type { CompiledRuleset } from '../core/rule-types.ts';

/** A compiled ruleset with the sources it was compiled from (worker threads compile the same sources). */
export interface LoadedRules {
  ruleset: CompiledRuleset;
  sources: RulesetSource[];
  lists: ListSource[];
  hash: string;
}

export interface RuleRulesetRead extends RulesetRead<LoadedRules> {
  compile(): RuleLoadResult & { value: LoadedRules };
}

/**
 * Reads the rule files and CDB lists of the given ruleset paths (`readRulesetFiles` of @vigil/wazuh-format) with
 * their content hash; compiling them is a second step, so a reload compiles only what changed.
 */
export function readRuleRuleset(paths: readonly string[], options: { geoip?: boolean } = {}): RuleRulesetRead {
  const { sources, lists } = readRulesetFiles(paths);
  const hash = rulesetHash([...sources.map((s) => ({ name: basename(s.file), text: s.text })), ...lists.map((l) => ({ name: `lists/${l.name}`, text: l.text }))]);
  return {
    hash,
    compile() {
      const result = loadRules(sources, { lists, ...options });
      return Object.assign(result, { value: { ruleset: result.ruleset, sources, lists, hash } });
    },
  };
}

/**
 * Reads and compiles the rules of the given ruleset paths; refuses to go on when any file has an error (file:line
 * in the message).
 */
export function loadRulesetFiles(paths: readonly string[], options: { geoip?: boolean } = {}): RuleLoadResult & { loaded: LoadedRules } {
  const result = readRuleRuleset(paths, options).compile();
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatRuleProblem);
    throw new VigilError('RULESET_INVALID', `ruleset has ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return Object.assign(result, { loaded: result.value });
}
