/**
 * The body of an audit webhook request: an `audit.k8s.io/v1` EventList. Each item becomes the line the API server's
 * log backend would have written for it, so that a webhook event and a log file event decode and match alike.
 */

export type EventListResult = { ok: true; lines: string[] } | { ok: false; reason: string };

const API_VERSION = /^audit\.k8s\.io\/v1$/;

/**
 * Parses a webhook body. Everything or nothing: a body that is not an EventList, or with an item that is not an
 * audit event object, is refused with the reason (the API server is then told 400, and the body is reported).
 */
export function parseEventList(body: string): EventListResult {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  if (!isObject(doc)) return { ok: false, reason: 'not a JSON object' };
  if (doc['kind'] !== 'EventList') return { ok: false, reason: `kind is ${describe(doc['kind'])}, expected "EventList"` };
  const apiVersion = doc['apiVersion'];
  if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) return { ok: false, reason: `apiVersion is ${describe(apiVersion)}, expected "audit.k8s.io/v1"` };
  const items = doc['items'];
  // An empty list is sent as `"items":null` or without items by Go's encoder.
  if (items === undefined || items === null) return { ok: true, lines: [] };
  if (!Array.isArray(items)) return { ok: false, reason: 'items is not an array' };
  const lines: string[] = [];
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) return { ok: false, reason: `items[${i}] is not an object` };
    if (item['kind'] !== undefined && item['kind'] !== 'Event') return { ok: false, reason: `items[${i}].kind is ${describe(item['kind'])}, expected "Event"` };
    if (typeof item['auditID'] !== 'string' || typeof item['stage'] !== 'string') return { ok: false, reason: `items[${i}] is not an audit event (no auditID or stage)` };
    lines.push(auditLogLine(item, apiVersion));
  }
  return { ok: true, lines };
}

/**
 * The line of the log backend (`--audit-log-format=json`) for one event: `kind` and `apiVersion` first (items of a
 * list carry none), compact JSON, and `<`, `>`, `&`, U+2028, U+2029 escaped as Go's encoder escapes them.
 */
export function auditLogLine(item: Record<string, unknown>, apiVersion: string): string {
  const { kind: _kind, apiVersion: own, ...rest } = item;
  const event = { kind: 'Event', apiVersion: typeof own === 'string' ? own : apiVersion, ...rest };
  return goJsonEscape(JSON.stringify(event));
}

/** JSON.stringify output as Go's encoding/json writes it (HTML-safe): these characters only occur inside strings. */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}
