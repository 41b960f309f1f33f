import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectBus, createLogger, loadConfig, NatsConfig, validators, type Alert, type Bus } from '@vigil/common';
import { natsSkipReason, startTestNats, waitFor, type NatsFixture } from '@vigil/common/testing';
import { IndexerConfig } from '../../src/config.ts';
import { createElasticsearchClient } from '../../src/adapters/es-client.ts';
import { ElasticsearchAlertSink } from '../../src/adapters/es-sink.ts';
import { startElasticsearchConsumer } from '../../src/adapters/es-consumer.ts';
import { FakeElasticsearch } from '../fake-elasticsearch.ts';
import { sshAlert } from '../alert-fixtures.ts';

const skip = natsSkipReason();
const logger = createLogger({ level: 'silent' });
let nats: NatsFixture;
let bus: Bus;

before(async () => {
  if (skip) return;
  nats = await startTestNats();
  bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url, consumers: { ackWaitSeconds: 2, retryDelayMs: 100, maxDeliver: 50 } } }), logger, 'es-test');
});
after(async () => {
  await bus?.nc.close();
  await nats?.dispose();
});

async function publishAlerts(alerts: readonly Alert[]): Promise<void> {
  await Promise.all(alerts.map((a) => bus.js.publish(bus.subjects.alert(a.rule.level, a.agent.id, a.rule.id), JSON.stringify(a))));
}

async function deadLetters(stage: string): Promise<Array<{ code: string; reason: string; data: string }>> {
  const info = await bus.jsm.streams.info(bus.streams.dlq);
  const out: Array<{ code: string; reason: string; data: string }> = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await bus.jsm.streams.getMessage(bus.streams.dlq, { seq });
    if (!m) continue;
    const letter = validators.deadLetter.parse(m.data);
    if (letter.stage === stage) out.push({ code: letter.code, reason: letter.reason, data: letter.data });
  }
  return out;
}

test('elasticsearch consumer: acked only after the bulk stored them; refused documents to the DLQ with the reason; 429/5xx retried', { skip, timeout: 60_000 }, async () => {
  const fake = await new FakeElasticsearch().start();
  const config = loadConfig(IndexerConfig, { document: { elasticsearch: { enabled: true, url: fake.url, maxRetries: 1, retryDelayMs: 1, flushIntervalMs: 0, bulkMaxDocs: 100 } } }).elasticsearch;
  const client = createElasticsearchClient(config);
  const sink = new ElasticsearchAlertSink({ client, logger, indexPrefix: config.indexPrefix, bulkMaxDocs: config.bulkMaxDocs, bulkMaxBytes: config.bulkMaxBytes, maxRetries: config.maxRetries, retryDelayMs: config.retryDelayMs });
  // First the cluster is down for bulks (503 on every request): nothing may be acked.
  let down = true;
  fake.onRequest = (req) => (down && req.path.startsWith('/_bulk') ? { status: 503, body: { error: { type: 'unavailable', reason: 'starting up' }, status: 503 } } : undefined);
  const alerts = Array.from({ length: 30 }, (_, i) => sshAlert(i));
  const refused = alerts[7]!;
  let first429 = true;
  fake.onBulk = (a) => {
    if (a.id === refused.id) return { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [rule.level] of type [long]' } };
    if (a.id === alerts[3]!.id && first429) {
      first429 = false;
      return { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' } };
    }
    return { status: 201 };
  };
  const consumer = await startElasticsearchConsumer({ bus, logger, sink, bulkMaxDocs: config.bulkMaxDocs, flushIntervalMs: config.flushIntervalMs, holdDelayMs: 200 });
  try {
    await sink.installTemplate();
    await publishAlerts(alerts);
    // An outage longer than the ack wait (2 s): the batch is held and sent again with back-off, never nak-ed.
    await waitFor(() => fake.bulkRequests().length >= 8, 20_000, 'bulks sent again while the cluster is down');
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(consumer.stats.acked, 0, 'nothing acked before a bulk succeeded');
    assert.equal(consumer.stats.retried + consumer.stats.deadLettered, 0, 'an outage neither naks nor dead-letters');
    assert.equal(fake.stored.size, 0);
    down = false;
    await waitFor(() => fake.stored.size === 29 && consumer.stats.deadLettered >= 1, 30_000, 'all stored but the refused one');
    await waitFor(async () => (await bus.jsm.consumers.info(bus.streams.alerts, 'indexer-elasticsearch')).num_ack_pending === 0, 20_000, 'every message acked');
    assert.equal(consumer.stats.retried, 0);
    for (const a of alerts.filter((x) => x !== refused)) assert.ok(fake.stored.has(`vigil-alerts-2024.05.10/${a.id}`), a.id);
    const letters = await deadLetters('indexer-elasticsearch');
    assert.equal(letters.length, 1);
    assert.equal(letters[0]?.code, 'SINK_FAILED');
    assert.match(letters[0]?.reason ?? '', /HTTP 400\): mapper_parsing_exception: failed to parse field \[rule.level\]/);
    assert.equal((JSON.parse(letters[0]?.data ?? '{}') as Alert).id, refused.id);
    assert.ok(fake.requests.some((r) => r.path === '/_index_template/vigil-alerts'));
  } finally {
    await consumer.stop();
    await client.close();
    await fake.stop();
  }
});

const esUrl = process.env['ELASTICSEARCH_URL'];
const realSkip = esUrl ? skip : 'ELASTICSEARCH_URL is not set: no real Elasticsearch/OpenSearch cluster to index into';

test('a real cluster (ELASTICSEARCH_URL): template installed, alerts indexed and found by search', { skip: realSkip, timeout: 120_000 }, async () => {
  const prefix = `vigil-test-${Date.now()}`;
  const flavour = process.env['ELASTICSEARCH_FLAVOUR'] === 'opensearch' ? 'opensearch' : 'elasticsearch';
  const config = loadConfig(IndexerConfig, {
    document: {
      elasticsearch: {
        enabled: true,
        url: esUrl,
        flavour,
        indexPrefix: prefix,
        ...(process.env['ELASTICSEARCH_USERNAME'] ? { username: process.env['ELASTICSEARCH_USERNAME'], password: process.env['ELASTICSEARCH_PASSWORD'] ?? '' } : {}),
        ...(process.env['ELASTICSEARCH_API_KEY'] ? { apiKey: process.env['ELASTICSEARCH_API_KEY'] } : {}),
        rejectUnauthorized: process.env['ELASTICSEARCH_INSECURE'] !== '1',
      },
    },
  }).elasticsearch;
  const client = createElasticsearchClient(config);
  const sink = new ElasticsearchAlertSink({ client, logger, indexPrefix: prefix, bulkMaxDocs: 500, bulkMaxBytes: 5e6, maxRetries: 3, retryDelayMs: 200 });
  try {
    await sink.installTemplate();
    const alerts = Array.from({ length: 20 }, (_, i) => sshAlert(i));
    assert.deepEqual(await sink.index(alerts), alerts.map(() => ({ kind: 'ok' })));
    assert.deepEqual(await sink.index(alerts.slice(0, 5)), alerts.slice(0, 5).map(() => ({ kind: 'ok' })), 'indexing again is idempotent');
    await client.transport.request({ method: 'POST', path: `/${prefix}-*/_refresh` });
    const found = (await client.transport.request({
      method: 'POST',
      path: `/${prefix}-*/_search`,
      body: { query: { bool: { must: [{ match: { full_log: 'admin7' } }, { term: { 'rule.groups': 'sshd' } }] } } },
    })) as { hits: { hits: Array<{ _id: string; _index: string }> } };
    assert.deepEqual(found.hits.hits.map((h) => [h._index, h._id]), [[`${prefix}-2024.05.10`, alerts[7]!.id]]);
    const count = (await client.transport.request({ method: 'POST', path: `/${prefix}-*/_count` })) as { count: number };
    assert.equal(count.count, 20);
    const mapping = (await client.transport.request({ method: 'GET', path: `/${prefix}-2024.05.10/_mapping` })) as Record<string, { mappings: { properties: Record<string, { type?: string; properties?: Record<string, { type?: string }> }> } }>;
    const props = Object.values(mapping)[0]?.mappings.properties;
    assert.equal(props?.['rule']?.properties?.['level']?.type, 'long');
    assert.equal(props?.['full_log']?.type, 'text');
  } finally {
    await client.transport.request({ method: 'DELETE', path: `/${prefix}-*` }).catch(() => undefined);
    await client.transport.request({ method: 'DELETE', path: `/_index_template/${prefix}` }).catch(() => undefined);
    await client.close();
  }
});
