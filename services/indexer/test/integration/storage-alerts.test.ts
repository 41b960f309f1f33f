import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, NatsConfig, processMetrics, type Alert, type Bus } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { IndexerConfig } from '../../src/config.ts';
import { startIndexer, type RunningIndexer } from '../../src/indexer-service.ts';
import { SqliteAlertStore } from '../../src/adapters/sqlite-store.ts';

const RAW_BUDGET = 64 * 1024;
let bus: Bus;
const nats = useTestNats({
  started: async (server) => {
    const config = loadConfig(NatsConfig, { document: { url: server.url, streams: { budgetCheckSeconds: 0.2, raw: { maxBytes: RAW_BUDGET } } } });
    bus = await connectBus(config, createLogger({ level: 'silent' }), 'storage-alerts-test');
  },
  stopping: async () => await bus?.nc.close(),
});

/** Publishes raw events of about 1 KiB until the raw stream holds `share` of its budget. */
async function fillRaw(share: number): Promise<void> {
  for (let i = 0; (await bus.jsm.streams.info(bus.streams.raw)).state.bytes < RAW_BUDGET * share; i++) {
    const [r] = await bus.publisher.publishAll([{ subject: bus.subjects.raw('agent-1', 'log'), data: JSON.stringify({ n: `${share}-${i}`, pad: 'p'.repeat(1000) }) }]);
    assert.ok(r?.ok, 'the raw stream takes it (under its budget)');
  }
}

test('a stream passing 80% then 95% of its budget: one alert each (201100, 201101), indexed like any alert, and the gauges say how full', { skip: nats.skip, timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-storage-alerts-'));
  const path = join(dir, 'vigil.db');
  const config = loadConfig(IndexerConfig, { document: { sqlite: { path }, retention: { budgetCheckSeconds: 0.2 } } });
  const indexer: RunningIndexer = await startIndexer({ bus, logger: createLogger({ level: 'silent' }), config, batchSize: 10, managerName: 'test-manager' });
  const reader = new SqliteAlertStore(path);
  t.after(async () => {
    await indexer.stop();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const storageAlerts = () => reader.query({ group: 'storage_budget', order: 'asc' });

  await fillRaw(0.82);
  const [warning] = await waitFor(() => storageAlerts().length >= 1 && storageAlerts(), 30_000, 'the 80% alert indexed');
  await fillRaw(0.96);
  const both = await waitFor(() => storageAlerts().length >= 2 && storageAlerts(), 30_000, 'the 95% alert indexed');
  // More checks go by (each one moves the growth gauge, as the window ages) without another alert.
  const labels = { store: 'stream', name: bus.streams.raw };
  assert.ok((processMetrics.get('vigil_storage_used_ratio', labels) ?? 0) >= 0.95, 'the ratio gauge at 95%');
  for (let i = 0; i < 3; i++) {
    const growth = processMetrics.get('vigil_storage_growth_bytes_per_second', labels);
    await waitFor(() => processMetrics.get('vigil_storage_growth_bytes_per_second', labels) !== growth, 10_000, 'another check');
  }
  assert.equal(storageAlerts().length, 2, 'one alert per threshold crossed');

  const check = (a: Alert | undefined, rule: string, level: number, threshold: number) => {
    assert.equal(a?.rule.id, rule);
    assert.equal(a?.rule.level, level);
    assert.deepEqual(a?.agent, { id: '000', name: 'test-manager' });
    assert.match(a?.rule.description ?? '', new RegExp(`^Vigil storage: the stream ${bus.streams.raw} is at \\d+% of its 64 KiB budget \\((grows|steady)[^)]*\\); at the budget new messages are refused and wait upstream$`));
    const v = a?.data?.['vigil'] as Record<string, unknown>;
    assert.equal(v['store'], 'stream');
    assert.equal(v['name'], bus.streams.raw);
    assert.equal(v['budget_bytes'], RAW_BUDGET);
    assert.equal(v['threshold'], threshold);
    assert.ok((v['percent'] as number) >= threshold * 100);
    assert.equal(typeof v['growth_bytes_per_hour'], 'number');
  };
  check(warning, '201100', 7, 0.8);
  check(both[1], '201101', 10, 0.95);
  assert.equal(processMetrics.get('vigil_storage_budget_bytes', { store: 'stream', name: bus.streams.raw }), RAW_BUDGET);
  assert.equal(processMetrics.get('vigil_storage_budget_bytes', { store: 'index', name: path }), config.retention.maxBytes);
});
