import type { CompiledDecoder } from '../decoder-types.ts';
import { addDynamic, setStatic, type DecodedFields } from '../decoded-fields.ts';
import { cjsonPrint, formatJsonNumber } from './cjson-format.ts';

/**
 * Top-level keys of the JSON object that set static fields (note `systemname`). A Map, so that keys such as
 * `constructor` or `toString` are ordinary dynamic fields rather than hits on an object's prototype.
 */
const STATIC_KEYS = new Map<string, string>([
  ['srcip', 'srcip'], ['dstip', 'dstip'], ['srcport', 'srcport'], ['dstport', 'dstport'], ['protocol', 'protocol'],
  ['action', 'action'], ['srcuser', 'srcuser'], ['dstuser', 'dstuser'], ['id', 'id'], ['status', 'status'], ['url', 'url'],
  ['data', 'data'], ['extra_data', 'extra_data'], ['systemname', 'system_name'],
]);

/** The characters that open or close a value, or start a string: what the end of a value depends on. */
const STRUCTURAL = /["{}[\]]/g;
/** The characters that end a string or escape the next one. */
const STRING_STOP = /["\\]/g;

/** Index of the first character after `from` that is not JSON white space. */
function skipWhiteSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
    i++;
  }
}

/**
 * The end of the first JSON value that starts at `from` (after white space), or -1 when there is none: Wazuh
 * parses leniently and ignores whatever follows the first value. Jumps from one structural character to the next
 * with a RegExp search rather than looking at every character.
 */
export function firstJsonValueEnd(text: string, from: number): number {
  const i = skipWhiteSpace(text, from);
  const open = text.charCodeAt(i);
  if (open !== 123 && open !== 91) return -1;
  let depth = 0;
  STRUCTURAL.lastIndex = i;
  while (STRUCTURAL.test(text)) {
    const at = STRUCTURAL.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === 34) {
      // A string: its end is the first quote not escaped (a backslash escapes the character after it, whatever it is).
      STRING_STOP.lastIndex = at + 1;
      for (;;) {
        if (!STRING_STOP.test(text)) return -1;
        if (text.charCodeAt(STRING_STOP.lastIndex - 1) === 34) break;
        STRING_STOP.lastIndex++;
      }
      STRUCTURAL.lastIndex = STRING_STOP.lastIndex;
    } else if (c === 123 || c === 91) depth++;
    else if (--depth === 0) return at + 1;
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
    const s = STATIC_KEYS.get(key);
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
  const top = prefix === '';
  // Object.keys rather than Object.entries: no [key, value] pair per field.
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = obj[k];
    const key = top ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        if (owner.jsonArrayStructure === 'csv') {
          const parts: string[] = [];
          for (const item of v) {
            const s = item !== null && typeof item === 'object' ? undefined : scalarText(item, owner);
            if (s !== undefined) parts.push(s);
          }
          assign(fields, key, parts.join(','), top);
        } else assign(fields, key, cjsonPrint(v), top);
      } else walk(v as Record<string, unknown>, key, fields, owner);
    } else if (typeof v === 'string') {
      if (top) assign(fields, key, v, true);
      else addDynamic(fields, key, v);
    } else {
      const s = scalarText(v, owner);
      if (s !== undefined) assign(fields, key, s, top);
    }
  }
}

/**
 * The first JSON value in `text` from `from` when it is an object (other values give no field), else undefined.
 * Most JSON logs are one object up to the end of the line: the whole rest is parsed first, and the end of the
 * first value is looked for only when that fails. Both give the same value: when the whole rest parses, the first
 * value ends where the rest does, up to white space.
 */
function firstJsonObject(text: string, from: number): Record<string, unknown> | undefined {
  if (text.charCodeAt(skipWhiteSpace(text, from)) !== 123) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(from === 0 ? text : text.slice(from));
  } catch {
    const end = firstJsonValueEnd(text, from);
    if (end === -1) return undefined;
    try {
      value = JSON.parse(text.slice(from, end));
    } catch {
      return undefined; // not JSON: Wazuh extracts nothing
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * JSON_Decoder: the first JSON object in `text` from `from`, nested keys joined with dots; arrays as cJSON prints
 * them (or joined with commas with `json_array_structure` csv); null as `"null"` unless `json_null_field` discard.
 * Invalid JSON gives no field. `owner` is the decoder that owns the event (its flags apply). Returns the object
 * read (undefined when none), for plugins that derive more fields from it.
 */
export function decodeJson(text: string, from: number, fields: DecodedFields, owner: CompiledDecoder): Record<string, unknown> | undefined {
  const obj = firstJsonObject(text, from);
  if (obj !== undefined) walk(obj, '', fields, owner);
  return obj;
}
