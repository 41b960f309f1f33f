import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, classifyBulkItems, toBulkChunks } from './es-bulk.ts';
import { alertIndexName, alertIndexPattern } from './es-index-name.ts';
import { sshAlert } from '../../test/alert-fixtures.ts';

test('daily index names use the UTC date of the alert and the configured prefix', () => {
  assert.equal(alertIndexName('vigil-alerts', Date.UTC(2024, 0, 5, 23, 59, 59)), 'vigil-alerts-2024.01.05');
  assert.equal(alertIndexName('prod-hids', Date.UTC(2024, 11, 31, 0, 0, 0)), 'prod-hids-2024.12.31');
  assert.equal(alertIndexPattern('prod-hids'), 'prod-hids-*');
});

test('the bulk body: an index action into the daily index with _id = alert id, then the alert with @timestamp', () => {
  const a = sshAlert(1, { timestamp: '2024-05-10T01:30:00.000+0200' });
  const [chunk, ...rest] = toBulkChunks([a], [7], { prefix: 'vigil-alerts', maxDocs: 100, maxBytes: 1e6 });
  assert.deepEqual(rest, []);
  assert.deepEqual(chunk?.positions, [7]);
  assert.equal(
    chunk?.body,
    `${JSON.stringify({ index: { _index: 'vigil-alerts-2024.05.09', _id: a.id } })}\n${JSON.stringify({ ...a, '@timestamp': '2024-05-09T23:30:00.000Z' })}\n`,
  );
});

test('bulks are split by number of documents and by bytes', () => {
  const alerts = Array.from({ length: 5 }, (_, i) => sshAlert(i));
  const byDocs = toBulkChunks(alerts, [0, 1, 2, 3, 4], { prefix: 'p', maxDocs: 2, maxBytes: 1e6 });
  assert.deepEqual(byDocs.map((c) => c.positions), [[0, 1], [2, 3], [4]]);
  const one = toBulkChunks([alerts[0]!], [0], { prefix: 'p', maxDocs: 100, maxBytes: 1e6 })[0]!.body.length;
  const byBytes = toBulkChunks(alerts, [0, 1, 2, 3, 4], { prefix: 'p', maxDocs: 100, maxBytes: one * 2 + 10 });
  assert.deepEqual(byBytes.map((c) => c.positions), [[0, 1], [2, 3], [4]]);
  const tiny = toBulkChunks(alerts.slice(0, 2), [0, 1], { prefix: 'p', maxDocs: 100, maxBytes: 10 });
  assert.deepEqual(tiny.map((c) => c.positions), [[0], [1]], 'a document larger than the limit goes alone');
});

test('bulk items: 2xx stored, 429/5xx retried, other statuses rejected with the reason', () => {
  const response = {
    errors: true,
    items: [
      { index: { status: 201 } },
      { index: { status: 200 } },
      { index: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } },
      { index: { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } },
      { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [rule.level]', caused_by: { type: 'number_format_exception', reason: 'For input string: "x"' } } } },
    ],
  };
  assert.deepEqual(classifyBulkItems(response, 6), [
    { kind: 'ok' },
    { kind: 'ok' },
    { kind: 'retry', status: 429, reason: 'es_rejected_execution_exception: queue full' },
    { kind: 'retry', status: 503, reason: 'unavailable_shards_exception: primary shard is not active' },
    { kind: 'rejected', status: 400, reason: 'mapper_parsing_exception: failed to parse field [rule.level] (caused by number_format_exception: For input string: "x")' },
    { kind: 'retry', status: 0, reason: 'no result for this item in the bulk response' },
  ]);
});

test('back-off doubles and is capped', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(100, n)), [100, 200, 400, 800]);
  assert.equal(backoffDelay(1000, 20), 30_000);
});
