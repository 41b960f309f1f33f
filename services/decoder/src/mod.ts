export { DecoderConfig } from './config.ts';
export { predecode, type Predecoded } from './core/predecode.ts';
export { decodeEvent } from './core/decode-event.ts';
export { startDecoderConsumer } from './adapters/decoder-consumer.ts';
