import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, loadConfig } from '@vigil/common';
import { IndexerConfig } from '../config.ts';
import { createElasticsearchClient } from './es-client.ts';
import { ElasticsearchAlertSink } from './es-sink.ts';
import { FakeElasticsearch } from '../../test/fake-elasticsearch.ts';
import { sshAlert } from '../../test/alert-fixtures.ts';

const logger = createLogger({ level: 'silent' });

async function setup(t: { after(fn: () => Promise<void> | void): void }, overrides: Record<string, unknown> = {}, fakeOptions = {}) {
  const fake = await new FakeElasticsearch(fakeOptions).start();
  const config = loadConfig(IndexerConfig, { document: { elasticsearch: { enabled: true, url: fake.url, maxRetries: 3, retryDelayMs: 1, ...overrides } } }).elasticsearch;
  const client = createElasticsearchClient(config);
  const sleeps: number[] = [];
  const sink = new ElasticsearchAlertSink({
    client,
    logger,
    indexPrefix: config.indexPrefix,
    bulkMaxDocs: config.bulkMaxDocs,
    bulkMaxBytes: config.bulkMaxBytes,
    maxRetries: config.maxRetries,
    retryDelayMs: config.retryDelayMs,
    shards: config.shards,
    replicas: config.replicas,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  t.after(async () => {
    await client.close();
    await fake.stop();
  });
  return { fake, sink, sleeps };
}

test('the index template is installed with PUT _index_template/<prefix>', async (t) => {
  const { fake, sink } = await setup(t, { indexPrefix: 'prod-hids', shards: 2 });
  await sink.installTemplate();
  const put = fake.requests.find((r) => r.path.startsWith('/_index_template/'));
  assert.equal(put?.method, 'PUT');
  assert.equal(put?.path, '/_index_template/prod-hids');
  const body = JSON.parse(put?.body ?? '{}') as { index_patterns: string[]; template: { settings: Record<string, unknown> } };
  assert.deepEqual(body.index_patterns, ['prod-hids-*']);
  assert.equal(body.template.settings['index.number_of_shards'], 2);
});

test('one bulk request carries every alert into its daily index with _id = alert id', async (t) => {
  const { fake, sink } = await setup(t);
  const alerts = [sshAlert(1), sshAlert(2, { at: Date.UTC(2024, 4, 11, 0, 0, 1) })];
  assert.deepEqual(await sink.index(alerts), [{ kind: 'ok' }, { kind: 'ok' }]);
  const [bulk, ...more] = fake.bulkRequests();
  assert.equal(more.length, 0);
  assert.equal(bulk?.method, 'POST');
  assert.match(String(bulk?.headers['content-type']), /x-ndjson/);
  assert.deepEqual(
    FakeElasticsearch.parseBulk(bulk?.body ?? '').map((a) => [a.action, a.index, a.id, a.doc['full_log']]),
    [
      ['index', 'vigil-alerts-2024.05.10', alerts[0]!.id, alerts[0]!.full_log],
      ['index', 'vigil-alerts-2024.05.11', alerts[1]!.id, alerts[1]!.full_log],
    ],
  );
});

test('indexing the same alerts again overwrites the same documents (no duplicates)', async (t) => {
  const { fake, sink } = await setup(t);
  const alerts = [sshAlert(1), sshAlert(2)];
  await sink.index(alerts);
  await sink.index(alerts);
  assert.equal(fake.stored.size, 2);
});

test('partial failure: a refused document is rejected with the reason, 429 items are retried with back-off', async (t) => {
  const { fake, sink, sleeps } = await setup(t);
  const alerts = [sshAlert(1), sshAlert(2), sshAlert(3)];
  const seen = new Map<string, number>();
  fake.onBulk = (a) => {
    const n = (seen.get(a.id) ?? 0) + 1;
    seen.set(a.id, n);
    if (a.id === alerts[1]!.id) return { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [data.srcip]' } };
    if (a.id === alerts[2]!.id && n === 1) return { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } };
    return { status: 201 };
  };
  assert.deepEqual(await sink.index(alerts), [
    { kind: 'ok' },
    { kind: 'rejected', reason: 'elasticsearch refused the document (HTTP 400): mapper_parsing_exception: failed to parse field [data.srcip]' },
    { kind: 'ok' },
  ]);
  const bulks = fake.bulkRequests().map((r) => FakeElasticsearch.parseBulk(r.body).map((a) => a.id));
  assert.deepEqual(bulks, [alerts.map((a) => a.id), [alerts[2]!.id]], 'only the 429 item is sent again');
  assert.deepEqual(sleeps, [1]);
});

test('a whole request answered 429 or 503 is retried with doubling back-off', async (t) => {
  const { fake, sink, sleeps } = await setup(t);
  let calls = 0;
  fake.onRequest = (req) => {
    if (!req.path.startsWith('/_bulk')) return undefined;
    calls++;
    if (calls === 1) return { status: 429, body: { error: { type: 'circuit_breaking_exception', reason: 'too much' }, status: 429 } };
    if (calls === 2) return { status: 503, body: { error: { type: 'unavailable', reason: 'starting' }, status: 503 } };
    return undefined;
  };
  assert.deepEqual(await sink.index([sshAlert(1)]), [{ kind: 'ok' }]);
  assert.equal(calls, 3);
  assert.deepEqual(sleeps, [1, 2]);
});

test('items still failing after the retries are reported failed (the consumer naks them), never rejected', async (t) => {
  const { fake, sink, sleeps } = await setup(t, { maxRetries: 2 });
  fake.onBulk = () => ({ status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } });
  const [result] = await sink.index([sshAlert(1)]);
  assert.equal(result?.kind, 'failed');
  assert.equal(result?.kind === 'failed' && result.error.code, 'SINK_FAILED');
  assert.equal(result?.kind === 'failed' && result.error.temporary, true);
  assert.match(result?.kind === 'failed' ? result.error.message : '', /after 3 attempts: HTTP 503: unavailable_shards_exception/);
  assert.equal(fake.bulkRequests().length, 3);
  assert.deepEqual(sleeps, [1, 2]);
});

test('a cluster that cannot be reached makes the items failed, not rejected', async (t) => {
  const { fake, sink } = await setup(t, { maxRetries: 1 });
  await fake.stop();
  const [result] = await sink.index([sshAlert(1)]);
  assert.equal(result?.kind, 'failed');
});

test('bulks are split by bulkMaxDocs', async (t) => {
  const { fake, sink } = await setup(t, { bulkMaxDocs: 2 });
  await sink.index([sshAlert(1), sshAlert(2), sshAlert(3)]);
  assert.deepEqual(fake.bulkRequests().map((r) => FakeElasticsearch.parseBulk(r.body).length), [2, 1]);
});

test('opensearch flavour: no product check, plain JSON media types', async (t) => {
  const { fake, sink } = await setup(t, { flavour: 'opensearch' }, { product: false });
  await sink.installTemplate();
  assert.deepEqual(await sink.index([sshAlert(1)]), [{ kind: 'ok' }]);
  const bulk = fake.bulkRequests()[0];
  assert.equal(bulk?.headers['content-type'], 'application/x-ndjson');
  assert.doesNotMatch(String(bulk?.headers['accept']), /vnd\.elasticsearch/);
});

test('elasticsearch flavour refuses a server that is not Elasticsearch', async (t) => {
  const { sink } = await setup(t, { maxRetries: 0 }, { product: false });
  const [result] = await sink.index([sshAlert(1)]);
  assert.equal(result?.kind, 'failed');
});
