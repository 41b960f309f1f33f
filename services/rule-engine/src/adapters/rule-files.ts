import { basename } from 'node:path';
import { VigilError } from '@vigil/common';
import { readOssecConfRuleset, readRulesetFiles, rulesetHash, type ListSource, type RulesetRead, type RulesetSource } from '@vigil/wazuh-format';
import { formatRuleProblem, loadRules, type RuleLoadResult } from '../core/load-rules.ts';
import type { CompiledRuleset, RuleSemantics } from '../core/rule-types.ts';

/** How the rule files are found and compiled, beside their paths. */
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

/** How sources compile: the main thread and every worker of the pool compile them the same way. */
export interface RuleCompileOptions {
  /** `given`: in the order read (an `ossec.conf`'s include order), not by file name. */
  order?: 'given';
  semantics?: RuleSemantics;
}

/** A compiled ruleset with the sources it was compiled from (worker threads compile the same sources). */
export interface LoadedRules {
  ruleset: CompiledRuleset;
  sources: RulesetSource[];
  lists: ListSource[];
  hash: string;
  compile: RuleCompileOptions;
}

export interface RuleRulesetRead extends RulesetRead<LoadedRules> {
  compile(): RuleLoadResult & { value: LoadedRules };
}

/**
 * Reads the rule files and CDB lists of the given ruleset paths (`readRulesetFiles` of @vigil/wazuh-format), or
 * those an `ossec.conf` names in its order (`readOssecConfRuleset`), with their content hash; compiling them is a
 * second step, so a reload compiles only what changed.
 */
export function readRuleRuleset(paths: readonly string[], options: RuleFileOptions = {}): RuleRulesetRead {
  const { geoip, ossecConf, semantics } = options;
  const fromConf = ossecConf !== undefined ? readOssecConfRuleset(ossecConf) : undefined;
  const { sources, lists } = fromConf ? { sources: fromConf.rules, lists: fromConf.lists } : readRulesetFiles(paths);
  const compileOptions: RuleCompileOptions = { ...(fromConf ? { order: 'given' as const } : {}), ...(semantics !== undefined ? { semantics } : {}) };
  const hash = rulesetHash([...sources.map((s) => ({ name: basename(s.file), text: s.text })), ...lists.map((l) => ({ name: `lists/${l.name}`, text: l.text }))]);
  return {
    hash,
    compile() {
      const result = loadRules(sources, { lists, ...(geoip !== undefined ? { geoip } : {}), ...compileOptions });
      return Object.assign(result, { value: { ruleset: result.ruleset, sources, lists, hash, compile: compileOptions } });
    },
  };
}

/**
 * Reads and compiles the rules of the given ruleset paths, or of an `ossec.conf`; refuses to go on when any file
 * has an error (file:line in the message).
 */
export function loadRulesetFiles(paths: readonly string[], options: RuleFileOptions = {}): RuleLoadResult & { loaded: LoadedRules } {
  const result = readRuleRuleset(paths, options).compile();
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatRuleProblem);
    throw new VigilError('RULESET_INVALID', `ruleset has ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return Object.assign(result, { loaded: result.value });
}
