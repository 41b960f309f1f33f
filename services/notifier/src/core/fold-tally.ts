import type { Alert } from '@vigil/common';

/** The decoded fields a folded message breaks down, with the label it shows them under. */
export const TALLIED_FIELDS = [
  ['srcip', 'Source IPs'],
  ['srcuser', 'Users'],
  ['dstuser', 'Target users'],
] as const;

export type TalliedField = (typeof TALLIED_FIELDS)[number][0];

/** How many alerts carried each value of each tallied field, e.g. `{ srcip: { '1.2.3.4': 3 } }`. */
export type FieldTally = Partial<Record<TalliedField, Record<string, number>>>;

function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The tally of one alert. */
export function tallyOf(alert: Alert): FieldTally {
  const tally: FieldTally = {};
  for (const [field] of TALLIED_FIELDS) {
    const value = fieldText(alert.data?.[field]);
    if (value !== undefined) tally[field] = { [value]: 1 };
  }
  return tally;
}

/** Adds `from` into `into` (in place) and returns `into`. */
export function addTally(into: FieldTally, from: FieldTally): FieldTally {
  for (const [field] of TALLIED_FIELDS) {
    const values = from[field];
    if (!values) continue;
    const target = (into[field] ??= {});
    for (const [value, n] of Object.entries(values)) target[value] = (target[value] ?? 0) + n;
  }
  return into;
}

/** A copy of several tallies summed. */
export function sumTallies(tallies: readonly FieldTally[]): FieldTally {
  const out: FieldTally = {};
  for (const t of tallies) addTally(out, t);
  return out;
}

/** The source IP an alert comes from, or '' when it has none (folding keys on it: each attacker is paged alone). */
export function sourceOf(alert: Alert): string {
  return fieldText(alert.data?.['srcip']) ?? '';
}

/** The earlier and the later of two alert timestamps (ISO 8601 compared as instants, as text when unparsable). */
export function earlier(a: string, b: string): string {
  return compareTimestamps(a, b) <= 0 ? a : b;
}
export function later(a: string, b: string): string {
  return compareTimestamps(a, b) >= 0 ? a : b;
}
function compareTimestamps(a: string, b: string): number {
  const x = Date.parse(a.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  const y = Date.parse(b.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
