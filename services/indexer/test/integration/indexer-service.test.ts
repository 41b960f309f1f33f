import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, NatsConfig, type Alert, type Bus } from '@vigil/common';
import { natsSkipReason, startTestNats, waitFor, type NatsFixture } from '@vigil/common/testing';
import { IndexerConfig } from '../../src/config.ts';
import { startIndexer } from '../../src/indexer-service.ts';
import { FakeElasticsearch } from '../fake-elasticsearch.ts';
import { decodedEvent, sshAlert } from '../alert-fixtures.ts';

const skip = natsSkipReason();
const logger = createLogger({ level: 'silent' });
let nats: NatsFixture;
let bus: Bus;
const dir = mkdtempSync(join(tmpdir(), 'vigil-indexer-service-'));

before(async () => {
  if (skip) return;
  nats = await startTestNats();
  bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url, consumers: { ackWaitSeconds: 2, retryDelayMs: 100 } } }), logger, 'indexer-service-test');
});
after(async () => {
  await bus?.nc.close();
  await nats?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('startIndexer runs SQLite, archives, Elasticsearch and the query API from the config', { skip, timeout: 60_000 }, async () => {
  const fake = await new FakeElasticsearch().start();
  const token = 'sixteen-chars-token!';
  const config = loadConfig(IndexerConfig, {
    document: {
      sqlite: { path: join(dir, 'vigil.db') },
      retention: { alertsMaxAgeDays: 0, archivesMaxAgeDays: 0 },
      archives: { enabled: true },
      elasticsearch: { enabled: true, url: fake.url, indexPrefix: 'hids', flushIntervalMs: 0, retryDelayMs: 1 },
      api: { enabled: true, port: 0, token },
    },
  });
  // The cluster refuses the template twice (still starting): the indexer starts anyway and installs it later.
  let templateTries = 0;
  fake.onRequest = (req) => (req.path.startsWith('/_index_template/') && ++templateTries <= 2 ? { status: 503, body: { error: { type: 'unavailable', reason: 'starting' } } } : undefined);
  const indexer = await startIndexer({ bus, logger, config, batchSize: 100 });
  try {
    assert.deepEqual(Object.keys(indexer.info).sort(), ['api', 'archives', 'dashboard', 'elasticsearch', 'sqlite', 'sqliteBudget']);
    assert.equal(indexer.info['sqliteBudget'], config.retention.maxBytes);
    const alerts: Alert[] = Array.from({ length: 25 }, (_, i) => sshAlert(i));
    await Promise.all(alerts.map((a) => bus.js.publish(bus.subjects.alert(a.rule.level, a.agent.id, a.rule.id), JSON.stringify(a))));
    await Promise.all([decodedEvent(1), decodedEvent(2)].map((e) => bus.js.publish(bus.subjects.decoded(0, e.agent.id), JSON.stringify(e))));
    const api = String(indexer.info['api']);
    const get = async (path: string) => (await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<{ items: Alert[] }>;
    await waitFor(async () => (await get('/alerts?limit=50')).items.length === 25, 20_000, 'alerts searchable through the API');
    await waitFor(() => fake.stored.size === 25, 20_000, 'alerts in elasticsearch');
    assert.equal(templateTries, 3, 'template installed on the third try');
    const firstBulk = fake.requests.findIndex((r) => r.path.startsWith('/_bulk'));
    const templateOk = fake.requests.map((r) => r.path).lastIndexOf('/_index_template/hids');
    assert.ok(templateOk < firstBulk, 'no bulk before the template is in place');
    assert.ok([...fake.stored.keys()].every((k) => k.startsWith('hids-2024.05.10/')));
    assert.deepEqual((await get('/alerts?q=admin7')).items.map((a) => a.id), [alerts[7]!.id]);
  } finally {
    await indexer.stop();
    await fake.stop();
  }
});
