export { RuleEngineConfig, ownedPartitions } from './config.ts';
export { loadRules, formatRuleProblem, type RuleSource, type RuleLoadResult, type LoadRulesOptions } from './core/load-rules.ts';
export { parseCdbList, listName, type ListSource, type CdbList } from './core/cdb-lists.ts';
export { matchRules, type RuleMatch } from './core/match-rules.ts';
export { buildAlert, alertId, alertRule, splitGroups, wazuhTimestamp, substituteDescription } from './core/build-alert.ts';
export { evaluateEvent, eventClock, newEngineState, type EngineState, type Evaluation, type EvaluateOptions } from './core/rule-engine.ts';
export { logtestRulePhase, type LogtestRuleResult, type LogtestRuleSession } from './core/logtest-rule-phase.ts';
export type { CompiledRule, CompiledRuleset, CompiledRuleset as RuleTree, RuleLoadProblem } from './core/rule-types.ts';
export { loadRulesetFiles, readRuleRuleset, type LoadedRules } from './adapters/rule-files.ts';
export { carryCorrelationState } from './core/carry-state.ts';
/** Ruleset file reading lives in @vigil/wazuh-format; re-exported for the rule engine's users. */
export { readRulesetFiles, ruleFiles, listSources } from '@vigil/wazuh-format';
export { startRuleEngineConsumers, type RuleEngineConsumerOptions } from './adapters/rule-engine-consumer.ts';
export { RulePool, type RulePoolOptions } from './adapters/rule-pool.ts';
export { evaluateMessages, type MessageItem, type ItemResult, type EvaluationSettings } from './adapters/evaluate-messages.ts';
export { logtestRules } from './adapters/logtest-rules.ts';
export { openGeoIpDatabase } from './adapters/geoip-database.ts';
