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
export { startDecoderConsumer } from './adapters/decoder-consumer.ts';
export { loadDecoderFiles, readDecoderRuleset } from './adapters/decoder-files.ts';
/** Ruleset file reading lives in @vigil/wazuh-format; re-exported for the decoder's users. */
export { BUILTIN_RULESET, classifyRulesetXml, decoderSources, rulesetXmlFiles, type RulesetFileKind } from '@vigil/wazuh-format';
