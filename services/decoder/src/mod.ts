export { DecoderConfig } from './config.ts';
export { predecode, parseQueueMessage, type Predecoded, type QueueMessage } from './core/predecode.ts';
export { decodeEvent, MAX_LOG_LENGTH, type DecodeOptions } from './core/decode-event.ts';
export { decodeLog, type DecodeLogInput, type DecodeLogResult, type DecoderOwner } from './core/decoders/decode-log.ts';
export { loadDecoders, fieldTarget, type DecoderLoadResult, type DecoderSource } from './core/decoders/load-decoders.ts';
export {
  formatProblem,
  STATIC_FIELDS,
  type CompiledDecoder,
  type DecoderSet,
  type LoadProblem,
  type StaticField,
} from './core/decoders/decoder-types.ts';
export type { DecodedFields } from './core/decoders/decoded-fields.ts';
export { Accumulator } from './core/decoders/accumulator.ts';
export { toAlertData } from './core/decoders/alert-data.ts';
export { readWazuhXml, type XmlElement, type XmlReadResult } from './core/ruleset-xml/read-wazuh-xml.ts';
export { FileVariables } from './core/ruleset-xml/variables.ts';
export * from './core/patterns/mod.ts';
export { startDecoderConsumer } from './adapters/decoder-consumer.ts';
export {
  BUILTIN_RULESET,
  classifyRulesetXml,
  decoderSources,
  loadDecoderFiles,
  resolveRulesetPath,
  rulesetXmlFiles,
  type RulesetFileKind,
} from './adapters/ruleset-files.ts';
