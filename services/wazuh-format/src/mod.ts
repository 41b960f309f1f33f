/**
 * What the decoder, the rule engine and the collector's SCA scanner share about Wazuh-format rulesets: the pattern
 * dialects, the XML reader with its variables, the alert `data` object, and finding and reading ruleset files
 * (decoder and rule files, CDB lists).
 */
export * from './core/patterns/mod.ts';
export { readWazuhXml, type XmlElement, type XmlReadResult } from './core/ruleset-xml/read-wazuh-xml.ts';
export { FileVariables } from './core/ruleset-xml/variables.ts';
export { STATIC_FIELDS, type StaticField } from './core/static-fields.ts';
export { toAlertData } from './core/alert-data.ts';
export { BUILTIN_RULESET, resolveRulesetPath } from './adapters/ruleset-path.ts';
export {
  byBasename,
  classifyRulesetXml,
  isListSourceFile,
  type ClassifiedRulesetFile,
  type ListSource,
  type RulesetFileKind,
  type RulesetSource,
} from './core/ruleset-files/ruleset-file-kind.ts';
export { decoderSources, listSources, readRulesetFiles, ruleFiles, rulesetXmlFiles } from './adapters/ruleset-files.ts';
export { rulesetHash } from './core/ruleset-files/ruleset-hash.ts';
export { watchedFolders, watchRuleset, type RulesetWatch } from './adapters/ruleset-watch.ts';
export {
  startRulesetReloader,
  type ReloadResult,
  type RulesetProblem,
  type RulesetRead,
  type RulesetReloader,
  type RulesetReloaderOptions,
} from './adapters/ruleset-reloader.ts';
export { RulesetReloadConfig, startStageRulesetReload, type StageRulesetReload } from './adapters/stage-ruleset-reload.ts';
export { parseWazuhIni, type IniSections } from './core/ruleset-tests/wazuh-ini.ts';
export { casesOf, verdict, wazuhRunnerEdit, wazuhVerdict, type CaseOutcome, type RulesetCase } from './core/ruleset-tests/ruleset-cases.ts';
export { readOssecConf, type OssecRulesetItem, type OssecRulesetPlan, type OssecConfProblem } from './core/ruleset-files/ossec-conf.ts';
export { ossecBaseDir, readOssecConfRuleset, type OssecConfReadOptions, type OssecConfRuleset } from './adapters/ossec-conf-files.ts';
