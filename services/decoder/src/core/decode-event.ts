import { partitionOf, type DecodedEvent, type DecoderRef, type Predecoder, type RawEvent } from '@vigil/common';
import { predecode } from './predecode.ts';
import { decodeLog } from './decoders/decode-log.ts';
import type { DecoderSet } from './decoders/decoder-types.ts';
import { accumulatorKey, type Accumulator } from './decoders/accumulator.ts';
import { ftsKey } from './decoders/fts-key.ts';
import { decodeSyscheck } from './decoders/builtin/syscheck-decoder.ts';
import { decodeSca } from './decoders/builtin/sca-decoder.ts';
import { decodeInventory } from './decoders/builtin/inventory-decoder.ts';

/**
 * The longest message decoded, in UTF-16 code units: Wazuh's OS_MAXSTR (65,536 bytes). A longer one is cut to
 * this length (and marked `truncated`), as Wazuh's collector cuts it; this also bounds the time any pattern takes.
 */
export const MAX_LOG_LENGTH = 65_536;

export interface DecodeOptions {
  partitions: number;
  now: Date;
  /** The compiled decoders; without them only pre-decoding runs. */
  decoders?: DecoderSet;
  /** State for `<accumulate/>` decoders; without it they do not accumulate. */
  accumulator?: Accumulator;
  /** Defaults to MAX_LOG_LENGTH. */
  maxLogLength?: number;
}

let lastTime = Number.NaN;
let lastIso = '';
let lastMinute = Number.NaN;
/** `toISOString()` of the last minute seen, up to the seconds: `2024-01-10T12:00:`. */
let minutePrefix = '';

/**
 * The ISO form of the clock. The adapter passes one Date per batch, but a caller with a Date per event would pay
 * for a toISOString each time: within a minute only the seconds and milliseconds change, and are written here.
 */
function isoOf(now: Date): string {
  const t = now.getTime();
  if (t === lastTime) return lastIso;
  const minute = Math.floor(t / 60_000);
  if (minute !== lastMinute) {
    const iso = now.toISOString(); // throws RangeError for an invalid Date, as before
    // Years outside 0000-9999 have a longer, signed form: no prefix for those.
    if (iso.length !== 24) {
      lastTime = t;
      lastIso = iso;
      lastMinute = Number.NaN;
      return iso;
    }
    lastMinute = minute;
    minutePrefix = iso.slice(0, 17);
  }
  const inMinute = t - minute * 60_000;
  const sec = Math.floor(inMinute / 1000);
  const ms = inMinute - sec * 1000;
  lastTime = t;
  lastIso = `${minutePrefix}${sec < 10 ? '0' : ''}${sec}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  return lastIso;
}

/**
 * Turns a raw event into the decoded event the rule engine evaluates: pre-decoding of the syslog header, then the
 * decoders (owner decoder and fields) — for FIM, SCA and inventory events built-in decoders — and the partition of
 * its agent. Pure apart from the accumulator it is given.
 */
export function decodeEvent(raw: RawEvent, options: DecodeOptions): DecodedEvent {
  const max = options.maxLogLength ?? MAX_LOG_LENGTH;
  let fullLog = raw.log ?? JSON.stringify(raw.payload ?? {});
  let truncated = raw.truncated === true;
  if (fullLog.length > max) {
    fullLog = fullLog.slice(0, max);
    truncated = true;
  }
  const pre = raw.kind === 'log' ? predecode(fullLog) : { log: fullLog };
  const predecoder: Predecoder = {};
  if (pre.timestamp !== undefined) predecoder.timestamp = pre.timestamp;
  if (pre.hostname !== undefined) predecoder.hostname = pre.hostname;
  if (pre.program_name !== undefined) predecoder.program_name = pre.program_name;
  let log = pre.log;
  let location = raw.location;
  let data: Record<string, string> = {};
  let decoder: DecoderRef | undefined;
  // Audit events (the collector's audit source: the records of one event on one line) go through the decoders
  // without pre-decoding, as Wazuh's log_format audit does.
  if (options.decoders && (raw.kind === 'log' || (raw.kind === 'audit' && raw.log !== undefined))) {
    const result = decodeLog(options.decoders, { log, programName: pre.program_name });
    data = result.fields;
    if (result.decoder) {
      const owner = result.decoder;
      decoder = { name: owner.name, type: owner.type };
      if (owner.parent !== undefined) decoder.parent = owner.parent;
      if (owner.ftscomment !== undefined) decoder.ftscomment = owner.ftscomment;
      if (owner.accumulate) {
        decoder.accumulate = true;
        const id = data['id'];
        if (options.accumulator && id !== undefined && id !== '') {
          // Wazuh's hostname: the agent name for agent events; for local ones (000) the syslog host if any.
          const host = raw.agent.id === '000' ? (pre.hostname ?? raw.agent.name) : raw.agent.name;
          options.accumulator.apply(accumulatorKey(host, owner.name, id), data, Math.floor(options.now.getTime() / 1000));
        }
      }
      if (owner.fts) decoder.fts = ftsKey(owner.name, owner.fts, data, raw.location);
    }
    if (result.ossecAlert) {
      location = `${location}|${result.ossecAlert.location}`;
      log = result.ossecAlert.log;
      fullLog = result.ossecAlert.log;
    }
  } else if (raw.kind === 'fim' && raw.payload !== undefined) {
    const fim = decodeSyscheck(raw.payload);
    if (fim) {
      decoder = { name: fim.name, type: 'ossec' };
      data = fim.fields;
      if (fim.fullLog !== undefined) fullLog = log = fim.fullLog.length > max ? fim.fullLog.slice(0, max) : fim.fullLog;
    }
  } else if (raw.kind === 'sca' && raw.payload !== undefined) {
    const sca = decodeSca(raw.payload);
    decoder = { name: sca.name, type: 'ossec' };
    data = sca.fields;
  } else if (raw.kind === 'inventory' && raw.payload !== undefined) {
    const inventory = decodeInventory(raw.payload);
    if (inventory) {
      decoder = { name: inventory.name, type: 'ossec' };
      data = inventory.fields;
      fullLog = log = inventory.fullLog;
      // The summary replaces the payload's JSON, which was only cut for being long.
      truncated = raw.truncated === true;
    }
  }
  const partition = partitionOf(raw.agent.id, options.partitions);
  const decodedAt = isoOf(options.now);
  // Two literals rather than spreads: the optional `decoder` sits before `data` in the event's key order.
  const event: DecodedEvent = decoder
    ? { v: 1, id: raw.id, seq: raw.seq, agent: raw.agent, kind: raw.kind, location, collectedAt: raw.collectedAt, decodedAt, partition, full_log: fullLog, log, predecoder, decoder, data }
    : { v: 1, id: raw.id, seq: raw.seq, agent: raw.agent, kind: raw.kind, location, collectedAt: raw.collectedAt, decodedAt, partition, full_log: fullLog, log, predecoder, data };
  if (raw.payload !== undefined) event.payload = raw.payload;
  if (truncated) event.truncated = true;
  return event;
}
