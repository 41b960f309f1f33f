export { VigilConfig, ENV_OVERRIDES, loadVigilConfig, resolveConfigFile } from './config.ts';
export { resolveDataPaths, PROJECT_ROOT, BUILTIN_RULESET } from './paths.ts';
export { startServices, startService, SERVICE_NAMES, type ServiceName } from './services.ts';
export { buildAlertQuery } from './commands/alerts.ts';
export { parseSince } from './commands/since.ts';
export { readDeadLetters } from './commands/dlq.ts';
export { loadRuleset, runCase, CASE_CLOCK, type LoadedRuleset } from './ruletest/ruleset-cases-run.ts';
