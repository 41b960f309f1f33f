import { STATIC_FIELDS } from './decoder-types.ts';
import type { DecodedFields } from './decoded-fields.ts';

const STATIC = new Set<string>(STATIC_FIELDS);

function arrayValue(value: string): unknown {
  if (value.charCodeAt(0) !== 91) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
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
  for (const [key, value] of Object.entries(fields)) {
    if (STATIC.has(key) || value === '') continue;
    const path = key.split('.');
    let node: Record<string, unknown> = out;
    let clash = false;
    for (let i = 0; i < path.length - 1; i++) {
      const part = path[i] as string;
      const next = node[part];
      if (next === undefined) {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      } else if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
      else {
        clash = true;
        break;
      }
    }
    const leaf = path[path.length - 1] as string;
    if (clash || Object.hasOwn(node, leaf)) continue;
    node[leaf] = arrayValue(value);
  }
  return out;
}
