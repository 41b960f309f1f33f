import type { DecodedFields } from './decoded-fields.ts';

const ACCUMULATED = ['srcuser', 'dstuser', 'srcip', 'dstip', 'srcport', 'dstport', 'data'] as const;
const EXPIRY_SECONDS = 120;
const MAX_VALUE_LENGTH = 80;

interface Entry {
  values: Partial<Record<(typeof ACCUMULATED)[number], string>>;
  updated: number;
}

/**
 * Wazuh's accumulator (`<accumulate/>`): events of one decoder with the same `id` on the same host share their
 * user, address, port and data fields, so a field seen on one line fills the gap on a later one. Entries expire
 * 120 s after their last update; values of 81 characters or more are ignored. It is state: each decoder process
 * (or logtest session) owns one, and time is passed in, so decoding stays deterministic.
 */
export class Accumulator {
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  /** Fills empty fields from the stored entry and stores the event's non-empty ones. `now` in seconds. */
  apply(key: string, fields: DecodedFields, now: number): void {
    let entry = this.entries.get(key);
    if (entry && now - entry.updated > EXPIRY_SECONDS) entry = undefined;
    if (!entry) {
      entry = { values: {}, updated: now };
      this.entries.set(key, entry);
    }
    for (const name of ACCUMULATED) {
      const value = fields[name];
      const stored = entry.values[name];
      if ((value === undefined || value === '') && stored !== undefined) fields[name] = stored;
      else if (value !== undefined && value !== '' && value.length <= MAX_VALUE_LENGTH) entry.values[name] = value;
    }
    entry.updated = now;
    if (this.entries.size > 10_000) this.expire(now);
  }

  /** Drops entries not updated for 120 s. */
  expire(now: number): void {
    for (const [k, e] of this.entries) if (now - e.updated > EXPIRY_SECONDS) this.entries.delete(k);
  }
}

/** The accumulator key of an event: `hostname decoder-name id`. */
export function accumulatorKey(hostname: string, decoderName: string, id: string): string {
  return `${hostname} ${decoderName} ${id}`;
}
