import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { connectBus, createLogger, loadConfig, NatsConfig, validators, type Alert, type Bus } from '@vigil/common';
import { natsSkipReason, startTestNats, waitFor, type NatsFixture } from '@vigil/common/testing';
import { SqliteAlertStore } from '../../src/adapters/sqlite-store.ts';
import { startIndexerConsumer } from '../../src/adapters/indexer-consumer.ts';
import { startArchiveConsumer } from '../../src/adapters/archive-consumer.ts';
import { decodedEvent, sshAlert } from '../alert-fixtures.ts';

const skip = natsSkipReason();
const logger = createLogger({ level: 'silent' });
let nats: NatsFixture;
let bus: Bus;
const dir = mkdtempSync(join(tmpdir(), 'vigil-indexer-it-'));

before(async () => {
  if (skip) return;
  nats = await startTestNats();
  bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url, consumers: { ackWaitSeconds: 2, retryDelayMs: 100 } } }), logger, 'indexer-test');
});
after(async () => {
  await bus?.nc.close();
  await nats?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function publishAlerts(alerts: readonly Alert[]): Promise<void> {
  await Promise.all(alerts.map((a) => bus.js.publish(bus.subjects.alert(a.rule.level, a.agent.id, a.rule.id), JSON.stringify(a))));
}

async function purgeAlerts(): Promise<void> {
  await bus.jsm.streams.purge(bus.streams.alerts);
  for (const c of await bus.jsm.consumers.list(bus.streams.alerts).next()) await bus.jsm.consumers.delete(bus.streams.alerts, c.name);
}

function countRows(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM alerts').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

test('alerts are indexed, a redelivered batch changes nothing, an invalid alert goes to the DLQ with its reason', { skip, timeout: 60_000 }, async () => {
  await purgeAlerts();
  const store = new SqliteAlertStore(join(dir, 'redelivery.db'));
  const consumer = await startIndexerConsumer({ bus, logger, store, batchSize: 50 });
  try {
    const alerts = Array.from({ length: 120 }, (_, i) => sshAlert(i));
    await publishAlerts(alerts);
    await waitFor(() => store.count() === 120, 20_000, '120 alerts indexed');
    const before = store.db.prepare('SELECT id, json FROM alerts ORDER BY id').all();
    // The same alerts again, as a redelivery or a re-publish upstream would bring them.
    await publishAlerts(alerts.slice(0, 60));
    await bus.js.publish(bus.subjects.alert(5, '001', '5710'), JSON.stringify({ ...alerts[0], timestamp: 'not a time', id: 'bad-time' }));
    await bus.js.publish(bus.subjects.alert(5, '001', '5710'), '{"not":"an alert"}');
    await waitFor(() => consumer.stats.acked === 180 && consumer.stats.deadLettered === 2, 20_000, 'redelivered batch and bad alerts handled');
    assert.equal(store.count(), 120);
    assert.deepEqual(store.db.prepare('SELECT id, json FROM alerts ORDER BY id').all(), before);
    const dlq = await bus.jsm.streams.info(bus.streams.dlq);
    assert.ok(dlq.state.messages >= 2);
    const reasons: string[] = [];
    for (let seq = dlq.state.first_seq; seq <= dlq.state.last_seq; seq++) {
      const m = await bus.jsm.streams.getMessage(bus.streams.dlq, { seq });
      const letter = validators.deadLetter.parse(m?.data ?? new Uint8Array());
      if (letter.stage === 'indexer') reasons.push(`${letter.code}: ${letter.reason}`);
    }
    assert.ok(reasons.some((r) => /^EVENT_INVALID: .*'timestamp'/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^EVENT_INVALID: invalid alert: field/.test(r)), reasons.join('\n'));
  } finally {
    await consumer.stop();
    store.close();
  }
});

test('kill -9 of the indexer during a batch, then restart: nothing is lost, nothing doubled', { skip, timeout: 120_000 }, async () => {
  await purgeAlerts();
  const db = join(dir, 'crash.db');
  const total = 8_000;
  const alerts = Array.from({ length: total }, (_, i) => sshAlert(i, { at: Date.UTC(2024, 4, 10) + i }));
  for (let i = 0; i < total; i += 2000) await publishAlerts(alerts.slice(i, i + 2000));
  const script = fileURLToPath(new URL('./indexer-child.ts', import.meta.url));
  const spawnChild = (): Promise<ChildProcess> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, NATS_URL: nats.url, VIGIL_TEST_DB: db, VIGIL_TEST_BATCH: '200' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`indexer child exited early (${code})`)));
    });
  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  let child = await spawnChild();
  // Kill it while it is writing: some alerts stored, not all.
  const partial = await waitFor(() => {
    const n = countRows(db);
    return n > 0 && n < total ? n : undefined;
  }, 30_000, 'the indexer in the middle of the stream');
  await kill(child);
  const afterKill = countRows(db);
  assert.ok(afterKill >= partial && afterKill < total, `killed mid-stream (${afterKill} of ${total})`);
  child = await spawnChild();
  try {
    await waitFor(() => countRows(db) === total, 60_000, `all ${total} alerts after the restart`);
    const check = new Database(db, { readonly: true });
    try {
      assert.equal(check.prepare('SELECT count(DISTINCT id) FROM alerts').pluck().get(), total);
      assert.equal(check.prepare("SELECT count(*) FROM alert_tags WHERE tag = 'group:sshd'").pluck().get(), total, 'one tag row per alert');
      assert.equal(check.prepare("SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH 'admin7999'").pluck().get(), 1);
    } finally {
      check.close();
    }
  } finally {
    await kill(child);
  }
});

test('archives: every decoded event is kept once, from its own durable consumer', { skip, timeout: 60_000 }, async () => {
  const store = new SqliteAlertStore(join(dir, 'archives.db'));
  const consumer = await startArchiveConsumer({ bus, logger, store, batchSize: 100 });
  try {
    const events = Array.from({ length: 50 }, (_, i) => decodedEvent(i, i % 2 ? '001' : '002'));
    const publish = () => Promise.all(events.map((e) => bus.js.publish(bus.subjects.decoded(0, e.agent.id), JSON.stringify(e))));
    await publish();
    await publish();
    await waitFor(() => consumer.stats.acked === 100, 20_000, 'decoded events archived');
    assert.equal(store.db.prepare('SELECT count(*) FROM archives').pluck().get(), 50);
    assert.deepEqual(store.db.prepare("SELECT full_log FROM archives WHERE agent_id = '002' AND event_id = '002:4'").pluck().get(), events[4]!.full_log);
  } finally {
    await consumer.stop();
    store.close();
  }
});
