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
export { readOssecConf, type OssecRulesetItem, type OssecRulesetPlan, type OssecConfProblem } from './core/ruleset-files/ossec-conf.ts';
export { ossecBaseDir, readOssecConfRuleset, type OssecConfReadOptions, type OssecConfRuleset } from './adapters/ossec-conf-files.ts';
