import type { DecodedEvent } from '@vigil/common';

/**
 * What rules read from one decoded event, gathered once per event: the log, the owner decoder, the pre-decoded
 * fields, the decoded fields (static and dynamic, flat) and the clock of the evaluation.
 */
export interface RuleInput {
  event: DecodedEvent;
  log: string;
  decoderName: string | undefined;
  /** The owner decoder's type; `syslog` when no decoder matched (Wazuh's null decoder). */
  decoderType: string;
  programName: string | undefined;
  /** The owner decoder and program name as one key: what the children's gates depend on (see RuleGate). */
  gateKey: string;
  /** The pre-decoded hostname, else the agent name (for agent events Wazuh uses the agent name). */
  hostname: string | undefined;
  location: string;
  fields: Readonly<Record<string, string>>;
  /** Evaluation time in seconds (processing time, or the event's own time when so configured). */
  now: number;
  /** The evaluation time in ms. */
  nowMs: number;
  /** GeoIP: `CC / Region` of an address (Wazuh's srcgeoip/dstgeoip), when a database is configured. */
  geoLookup?: ((ip: string) => string | undefined) | undefined;
  /** Set by `<check_diff/>` when it matched: the log it differs from (the alert's `previous_log`). */
  previousLog?: string;
  /** The log with ASCII letters lowered, built on first use (OS_Match compares case-insensitively). */
  logLower?: string;
  /** Lower-cased keys of `fields`, built on first use (dynamic field names compare case-insensitively). */
  lowerKeys?: Map<string, string>;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Builds the rule input of an event evaluated at `nowMs` (ms since the epoch). */
export function ruleInputOf(event: DecodedEvent, nowMs: number, geoLookup?: (ip: string) => string | undefined): RuleInput {
  return {
    geoLookup,
    event,
    log: event.log,
    decoderName: event.decoder?.name,
    decoderType: event.decoder?.type ?? 'syslog',
    programName: event.predecoder.program_name,
    gateKey: `${event.decoder?.name ?? ''}\u0000${event.decoder === undefined ? '\u0001' : ''}${event.predecoder.program_name ?? '\u0001'}`,
    hostname: event.predecoder.hostname ?? event.agent.name,
    location: event.location,
    fields: event.data as Record<string, string>,
    now: Math.floor(nowMs / 1000),
    nowMs,
  };
}

/** `HH:MM` of the evaluation time (UTC), for `<time>`. */
export function hhmmOf(input: RuleInput): string {
  const d = new Date(input.nowMs);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** The weekday of the evaluation time (UTC, 0 = Sunday), for `<weekday>`. */
export function weekdayOf(input: RuleInput): number {
  return new Date(input.nowMs).getUTCDay();
}

const UPPER = /[A-Z]/;

/**
 * A field's value as a string, or undefined when it is not set. Dynamic field names compare case-insensitively
 * (Wazuh's FindField); `lower` is the name lowered (precomputed by the caller when it can be).
 */
export function fieldValue(input: RuleInput, name: string, lower = name.toLowerCase()): string | undefined {
  const v = input.fields[name];
  if (v !== undefined) return typeof v === 'string' ? v : String(v);
  let keys = input.lowerKeys;
  if (keys === undefined) {
    // Most events have no upper-case key at all: then the lowered name is the only other candidate.
    let upper = false;
    for (const k in input.fields) {
      if (UPPER.test(k)) {
        upper = true;
        break;
      }
    }
    if (!upper) {
      input.lowerKeys = NO_UPPER_KEYS;
      keys = NO_UPPER_KEYS;
    } else {
      keys = new Map();
      for (const k of Object.keys(input.fields)) {
        const l = k.toLowerCase();
        if (!keys.has(l)) keys.set(l, k);
      }
      input.lowerKeys = keys;
    }
  }
  const k = keys === NO_UPPER_KEYS ? lower : keys.get(lower);
  if (k === undefined || k === name) return undefined;
  const w = input.fields[k];
  return w === undefined ? undefined : typeof w === 'string' ? w : String(w);
}

/** Marks an event whose field names are all lower-case. */
const NO_UPPER_KEYS: Map<string, string> = new Map();
