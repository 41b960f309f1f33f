import type { Alert } from '@vigil/common';
import { parseAlertTime } from './alert-row.ts';
import { alertIndexName } from './es-index-name.ts';

/** One bulk request: its NDJSON body and, for each action in it, the position of the alert in the input. */
export interface BulkChunk {
  body: string;
  positions: number[];
}

/** The document stored for an alert: the Wazuh alert JSON plus `@timestamp` (UTC ISO) for Kibana/OpenSearch. */
export function alertDocument(alert: Alert): Record<string, unknown> {
  return { ...alert, '@timestamp': new Date(parseAlertTime(alert.timestamp)).toISOString() };
}

/**
 * Builds bulk request bodies: an `index` action into the alert's daily index with `_id` = alert id (so a redelivery
 * overwrites the same document), then the document. Splits into requests of at most maxDocs actions and maxBytes
 * bytes (a single larger document still goes alone).
 */
export function toBulkChunks(alerts: readonly Alert[], positions: readonly number[], options: { prefix: string; maxDocs: number; maxBytes: number }): BulkChunk[] {
  const chunks: BulkChunk[] = [];
  let lines: string[] = [];
  let bytes = 0;
  let pos: number[] = [];
  const flush = () => {
    if (pos.length === 0) return;
    chunks.push({ body: lines.join(''), positions: pos });
    lines = [];
    bytes = 0;
    pos = [];
  };
  alerts.forEach((alert, i) => {
    const action = JSON.stringify({ index: { _index: alertIndexName(options.prefix, parseAlertTime(alert.timestamp)), _id: alert.id } });
    const entry = `${action}\n${JSON.stringify(alertDocument(alert))}\n`;
    const size = Buffer.byteLength(entry);
    if (pos.length > 0 && (pos.length >= options.maxDocs || bytes + size > options.maxBytes)) flush();
    lines.push(entry);
    bytes += size;
    pos.push(positions[i] ?? i);
  });
  flush();
  return chunks;
}

/** What Elasticsearch said about one item of a bulk request. */
export type BulkItemResult = { kind: 'ok' } | { kind: 'retry'; status: number; reason: string } | { kind: 'rejected'; status: number; reason: string };

interface BulkItemError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

function describe(error: BulkItemError | string | undefined): string {
  if (error === undefined) return 'no reason given';
  if (typeof error === 'string') return error;
  const main = `${error.type ?? 'error'}: ${error.reason ?? ''}`.trim();
  return error.caused_by ? `${main} (caused by ${error.caused_by.type ?? 'error'}: ${error.caused_by.reason ?? ''})` : main;
}

/**
 * Classifies each item of a `_bulk` response: 2xx is stored; 429 and 5xx may succeed later (retry); any other
 * status is a permanent refusal of that document (mapping conflict, bad value...), with the reason in words.
 */
export function classifyBulkItems(response: { items?: Array<Record<string, { status?: number; error?: BulkItemError | string }>> }, expected: number): BulkItemResult[] {
  const items = response.items ?? [];
  const results: BulkItemResult[] = [];
  for (let i = 0; i < expected; i++) {
    const item = items[i];
    const op = item ? Object.values(item)[0] : undefined;
    const status = op?.status ?? 0;
    if (!op) results.push({ kind: 'retry', status: 0, reason: 'no result for this item in the bulk response' });
    else if (status >= 200 && status < 300) results.push({ kind: 'ok' });
    else if (status === 429 || status >= 500) results.push({ kind: 'retry', status, reason: describe(op.error) });
    else results.push({ kind: 'rejected', status, reason: describe(op.error) });
  }
  return results;
}

/** The back-off before retry number `attempt` (1-based): doubles from firstDelayMs, at most 30 s. */
export function backoffDelay(firstDelayMs: number, attempt: number): number {
  return Math.min(30_000, firstDelayMs * 2 ** Math.max(0, attempt - 1));
}
