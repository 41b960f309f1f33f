import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connectBus, createLogger, loadConfig, NatsConfig, type Alert, type Bus } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { SqliteAlertStore } from '../../src/adapters/sqlite-store.ts';
import { startIndexerConsumer } from '../../src/adapters/indexer-consumer.ts';
import { INDEXER_DURABLES } from '../../src/adapters/durable-names.ts';
import { sshAlert } from '../alert-fixtures.ts';

/** Why this test cannot run here: it mounts a small tmpfs, which needs root. */
function mountSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs (run the tests as root)';
  return undefined;
}

let bus: Bus;
const nats = useTestNats({
  started: async (server) => {
    // A short ack wait: held alerts must not be redelivered (nor dead-lettered) however long the disk stays full.
    const config = loadConfig(NatsConfig, { document: { url: server.url, consumers: { ackWaitSeconds: 2, retryDelayMs: 100, maxDeliver: 3 } } });
    bus = await connectBus(config, createLogger({ level: 'silent' }), 'disk-full-test');
  },
  stopping: async () => await bus?.nc.close(),
});

/** Fills the file system under `dir` with one file until it refuses another byte; returns the file. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  const byte = Buffer.alloc(1);
  try {
    for (;;) writeSync(fd, byte);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return path;
}

test('the indexer survives a full disk: alerts wait in the stream, and once space is freed each is indexed once', { skip: nats.skip ?? mountSkipReason(), timeout: 180_000 }, async (t) => {
  const mountpoint = mkdtempSync(join(tmpdir(), 'vigil-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountpoint], { stdio: 'pipe' });
  } catch (err) {
    rmSync(mountpoint, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`);
    return;
  }
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const store = new SqliteAlertStore(join(mountpoint, 'vigil.db'));
  const consumer = await startIndexerConsumer({ bus, logger, store, batchSize: 50, holdDelayMs: 100 });
  t.after(async () => {
    await consumer.stop();
    store.close();
    execFileSync('umount', [mountpoint]);
    rmSync(mountpoint, { recursive: true, force: true });
  });
  const publish = async (alerts: readonly Alert[]) => {
    const results = await bus.publisher.publishAll(alerts.map((a) => ({ subject: bus.subjects.alert(a.rule.level, a.agent.id, a.rule.id), data: JSON.stringify(a), msgId: a.id })));
    assert.ok(results.every((r) => r.ok));
  };

  await publish(Array.from({ length: 20 }, (_, i) => sshAlert(i)));
  await waitFor(() => store.count() === 20, 30_000, 'the first alerts indexed');

  const filler = fill(mountpoint);
  // Big alerts, so that their batch needs pages the full disk does not have.
  const later = Array.from({ length: 300 }, (_, i) => sshAlert(20 + i, { full_log: `sshd: Invalid user u${20 + i} ${'y'.repeat(4000)}` }));
  await publish(later);
  await waitFor(() => lines.find((l) => l['code'] === 'DISK_FULL'), 60_000, 'a DISK_FULL error logged');
  // Held, not lost: the alerts are still in the stream, unacknowledged, none dead-lettered; the service runs on.
  // Several hold rounds (more than the ack wait) pass before space returns.
  await new Promise((r) => setTimeout(r, 5_000));
  const info = await bus.jsm.consumers.info(bus.streams.alerts, INDEXER_DURABLES.sqlite);
  assert.ok(info.num_ack_pending + info.num_pending > 0, 'the alerts wait in the stream');
  assert.equal((await bus.jsm.streams.info(bus.streams.alerts)).state.messages, 320);
  assert.equal(consumer.stats.deadLettered, 0);
  assert.ok(store.count() < 320);
  assert.equal(lines.filter((l) => l['code'] === 'DISK_FULL').length, 1, 'the error is logged once a minute, not once per retry');

  unlinkSync(filler);
  await waitFor(() => store.count() === 320, 120_000, 'every alert indexed after space returned');
  await waitFor(() => lines.find((l) => /resumed/.test(String(l['msg']))), 30_000, 'the recovery logged');
  const ids = store.db.prepare('SELECT id FROM alerts').pluck().all() as string[];
  assert.equal(new Set(ids).size, 320, 'each alert once');
  assert.deepEqual(new Set(ids), new Set([...Array.from({ length: 20 }, (_, i) => sshAlert(i).id), ...later.map((a) => a.id)]));
  assert.equal(consumer.stats.deadLettered, 0);
  const done = await waitFor(async () => {
    const c = await bus.jsm.consumers.info(bus.streams.alerts, INDEXER_DURABLES.sqlite);
    return c.num_ack_pending === 0 && c;
  }, 30_000, 'all acked');
  assert.equal(done.delivered.consumer_seq, 320, 'each alert delivered once: held, not redelivered');
});
