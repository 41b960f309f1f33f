export { RuleEngineConfig, ownedPartitions } from './config.ts';
export { loadRules, preprocessWazuhXml, type RuleSource, type RuleLoadResult } from './core/load-rules.ts';
export { matchRules } from './core/match-rules.ts';
export { buildAlert, alertId, splitGroups, wazuhTimestamp } from './core/build-alert.ts';
export { evaluateEvent, newEngineState, type EngineState, type Evaluation } from './core/rule-engine.ts';
export { compileOsMatch } from './core/os-match.ts';
export type { CompiledRule, RuleTree, RuleLoadProblem } from './core/rule-types.ts';
export { loadRulesetFiles, ruleFiles } from './adapters/ruleset-files.ts';
export { startRuleEngineConsumers } from './adapters/rule-engine-consumer.ts';
