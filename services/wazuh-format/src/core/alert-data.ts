import { STATIC_FIELDS } from './static-fields.ts';

/** Decoded fields, flat, as the decoder produces them (`DecodedFields` there). */
type DecodedFields = Record<string, string>;

const STATIC = new Set<string>(STATIC_FIELDS);

/** A JSON-array text as the array; any other value as it is (decoded data may hold non-text JSON values). */
function arrayValue(value: unknown): unknown {
  if (typeof value !== 'string' || value.charCodeAt(0) !== 91) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

/** Sets an own property, `__proto__` included (a plain assignment to it would replace the object's prototype). */
function setOwn(node: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  else node[key] = value;
}

/**
 * The `data` object of a Wazuh alert from decoded fields: static fields first in Wazuh's order (an empty one shows
 * as `""`), then dynamic fields with dotted names nested; empty dynamic values are left out, a key that clashes with
 * an existing value is dropped, and a value that is a JSON array (as the JSON decoder prints arrays) becomes one.
 */
export function toAlertData(fields: DecodedFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of STATIC_FIELDS) {
    const v = fields[name];
    if (v !== undefined) out[name] = v;
  }
  for (const key of Object.keys(fields)) {
    const value: unknown = fields[key];
    if (value === '' || STATIC.has(key)) continue;
    // Walk the dotted path without splitting it: most keys have no dot, and JSON events have many keys.
    let node: Record<string, unknown> = out;
    let start = 0;
    let dot = key.indexOf('.');
    let clash = false;
    while (dot !== -1) {
      const part = key.slice(start, dot);
      const next = Object.hasOwn(node, part) ? node[part] : undefined;
      if (next === undefined) {
        const created: Record<string, unknown> = {};
        setOwn(node, part, created);
        node = created;
      } else if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
      else {
        clash = true;
        break;
      }
      start = dot + 1;
      dot = key.indexOf('.', start);
    }
    if (clash) continue;
    const leaf = start === 0 ? key : key.slice(start);
    if (Object.hasOwn(node, leaf)) continue;
    setOwn(node, leaf, arrayValue(value));
  }
  return out;
}
