import { partitionOf, type DecodedEvent, type Predecoder, type RawEvent } from '@vigil/common';
import { predecode } from './predecode.ts';

export interface DecodeOptions {
  partitions: number;
  now: Date;
}

/**
 * Turns a raw event into the decoded event the rule engine evaluates: pre-decoding of the syslog header, the
 * partition of its agent. (Decoders from the ruleset plug in here; see issue "Decoder engine".)
 */
export function decodeEvent(raw: RawEvent, options: DecodeOptions): DecodedEvent {
  const fullLog = raw.log ?? JSON.stringify(raw.payload ?? {});
  const pre = raw.kind === 'log' ? predecode(fullLog) : { log: fullLog };
  const predecoder: Predecoder = {};
  if (pre.timestamp !== undefined) predecoder.timestamp = pre.timestamp;
  if (pre.hostname !== undefined) predecoder.hostname = pre.hostname;
  if (pre.program_name !== undefined) predecoder.program_name = pre.program_name;
  return {
    v: 1,
    id: raw.id,
    seq: raw.seq,
    agent: raw.agent,
    kind: raw.kind,
    location: raw.location,
    collectedAt: raw.collectedAt,
    decodedAt: options.now.toISOString(),
    partition: partitionOf(raw.agent.id, options.partitions),
    full_log: fullLog,
    log: pre.log,
    predecoder,
    data: {},
    ...(raw.payload !== undefined ? { payload: raw.payload } : {}),
    ...(raw.truncated ? { truncated: true } : {}),
  };
}
