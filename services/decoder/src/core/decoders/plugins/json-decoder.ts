import type { CompiledDecoder } from '../decoder-types.ts';
import { addDynamic, setStatic, type DecodedFields } from '../decoded-fields.ts';
import { cjsonPrint, formatJsonNumber } from './cjson-format.ts';

/** Top-level keys of the JSON object that set static fields (note `systemname`). */
const STATIC_KEYS: Record<string, string> = {
  srcip: 'srcip', dstip: 'dstip', srcport: 'srcport', dstport: 'dstport', protocol: 'protocol', action: 'action',
  srcuser: 'srcuser', dstuser: 'dstuser', id: 'id', status: 'status', url: 'url', data: 'data', extra_data: 'extra_data',
  systemname: 'system_name',
};

/**
 * The end of the first JSON value that starts at `from` (after white space), or -1 when there is none: Wazuh
 * parses leniently and ignores whatever follows the first value.
 */
export function firstJsonValueEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  const open = text[i];
  if (open !== '{' && open !== '[') return -1;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function scalarText(v: unknown, owner: CompiledDecoder): string | undefined {
  if (v === null) return owner.jsonNullField === 'discard' ? undefined : 'null';
  if (typeof v === 'number') return formatJsonNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  return undefined;
}

function assign(fields: DecodedFields, key: string, value: string, topLevel: boolean): void {
  if (topLevel) {
    const s = STATIC_KEYS[key];
    if (s !== undefined) {
      setStatic(fields, s, value);
      return;
    }
    if (key === 'user') {
      if (fields['dstuser'] === undefined) setStatic(fields, 'dstuser', value);
      else addDynamic(fields, 'user', value);
      return;
    }
  }
  addDynamic(fields, key, value);
}

function walk(obj: Record<string, unknown>, prefix: string, fields: DecodedFields, owner: CompiledDecoder): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    const top = prefix === '';
    if (Array.isArray(v)) {
      if (owner.jsonArrayStructure === 'csv') {
        const parts: string[] = [];
        for (const item of v) {
          const s = item !== null && typeof item === 'object' ? undefined : scalarText(item, owner);
          if (s !== undefined) parts.push(s);
        }
        assign(fields, key, parts.join(','), top);
      } else assign(fields, key, cjsonPrint(v), top);
    } else if (v !== null && typeof v === 'object') {
      walk(v as Record<string, unknown>, key, fields, owner);
    } else {
      const s = scalarText(v, owner);
      if (s !== undefined) assign(fields, key, s, top);
    }
  }
}

/**
 * JSON_Decoder: the first JSON object in `text` from `from`, nested keys joined with dots; arrays as cJSON prints
 * them (or joined with commas with `json_array_structure` csv); null as `"null"` unless `json_null_field` discard.
 * Invalid JSON gives no field. `owner` is the decoder that owns the event (its flags apply).
 */
export function decodeJson(text: string, from: number, fields: DecodedFields, owner: CompiledDecoder): void {
  const end = firstJsonValueEnd(text, from);
  if (end === -1) return;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(from, end));
  } catch {
    return; // not JSON: Wazuh extracts nothing
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, '', fields, owner);
}
