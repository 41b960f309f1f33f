import type { ContextField, Correlation } from './rule-types.ts';

/** What a key is computed from: an event's fields, location and decoder type (a rule input or a history entry). */
export interface KeySource {
  readonly fields: Readonly<Record<string, string>>;
  readonly location: string;
  readonly decoderType: string;
}

/**
 * The equality part of a correlation search: the values an earlier event must share with the current one to
 * qualify (`same_*`, `same_field`, and for the regex search the decoder type). Two rules with the same signature
 * can share one index of a history list.
 */
export interface CorrelationKey {
  /** Identifies the fields the key is made of; the name of the index on a history list. */
  signature: string;
  same: readonly ContextField[];
  sameFields: readonly string[];
  withDecoderType: boolean;
}

/** A dynamic field by name, exact first and then case-insensitively (Wazuh's FindField, as the search does). */
export function lookupField(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = fields[name];
  if (v !== undefined) return v;
  const lower = name.toLowerCase();
  for (const k in fields) if (k.toLowerCase() === lower) return fields[k];
  return undefined;
}

/**
 * The key of a correlation search, or undefined when it has no equality condition (then an index would not narrow
 * anything: the search walks the whole list).
 */
export function correlationKeyOf(c: Correlation): CorrelationKey | undefined {
  const withDecoderType = c.sid === undefined && c.groupList === undefined;
  if (c.same.length === 0 && c.sameFields.length === 0 && !withDecoderType) return undefined;
  return {
    signature: JSON.stringify([withDecoderType, c.same, c.sameFields]),
    same: c.same,
    sameFields: c.sameFields,
    withDecoderType,
  };
}

/** Separates the parts of a key; a value containing it only makes two keys collide, which the search re-checks. */
const SEP = '\u0000';

/**
 * One value as part of a key. Values are typed as strings but decoded data may hold others; equal values must give
 * equal parts (so a qualifying event is never missed), while different values may collide (the search compares
 * the real values of each candidate).
 */
function partOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' || typeof v === 'function') return '\u0001object';
  return `\u0001${typeof v}:${String(v)}`;
}

/**
 * The key of an event for a correlation key, or undefined when one of its values is missing: such an event can never
 * qualify (nor can any event qualify for a current event missing one), so it is not indexed.
 */
export function keyOf(k: CorrelationKey, src: KeySource): string | undefined {
  let key = k.withDecoderType ? src.decoderType : '';
  let parts = k.withDecoderType ? 1 : 0;
  for (let i = 0; i < k.same.length; i++) {
    const f = k.same[i] as ContextField;
    const v = f === 'location' ? src.location : src.fields[f];
    if (v === undefined) return undefined;
    key = parts++ === 0 ? partOf(v) : key + SEP + partOf(v);
  }
  for (let i = 0; i < k.sameFields.length; i++) {
    const v = lookupField(src.fields, k.sameFields[i] as string);
    if (v === undefined) return undefined;
    key = parts++ === 0 ? partOf(v) : key + SEP + partOf(v);
  }
  return key;
}
