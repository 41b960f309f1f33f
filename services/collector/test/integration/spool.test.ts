import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { rawCount, readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;

test('NATS down: 10,000 lines written meanwhile are spooled on disk, then all arrive once each, in order, when it is back', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-spool-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const h = await startHarness({ natsUrl: nats.url, dir, collector: { files: [{ path: log }] } });
  try {
    await waitFor(() => h.collector.paths.includes(log), 5000, 'the file followed');
    appendFileSync(log, 'before the outage\n');
    await waitFor(async () => (await rawCount(h.bus)) === 1, 10_000, 'the first line stored');

    await nats.server().stop();
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`line ${i} of the outage ${'x'.repeat(i % 50)}`);
    for (let i = 0; i < lines.length; i += 1000) appendFileSync(log, lines.slice(i, i + 1000).join('\n') + '\n');
    await waitFor(() => h.collector.spoolDepth().events >= 10_000, 30_000, 'all 10,000 lines accepted into the spool while NATS is down');

    await nats.server().restart();
    await waitFor(async () => (await rawCount(h.bus)) >= 10_001, 60_000, 'all lines stored after the restart');
    await waitFor(() => h.collector.spoolDepth().events === 0, 10_000, 'the spool drained');
    await new Promise((r) => setTimeout(r, 1000));
    const events = await readRaw(h.bus);
    assert.equal(events.length, 10_001, 'no duplicates stored');
    assert.deepEqual(events.slice(1).map((e) => e.log), lines, 'every line once, in order');
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => (events[0]?.seq ?? 0) + i), 'per-agent sequence ids are contiguous');
    assert.ok(events.every((e) => e.id === `${e.agent.id}:${e.seq}`));
  } finally {
    await h.stop();
  }
});

test('a collector restarted while NATS is down sends what it spooled before, under the same ids', { skip, timeout: 60_000 }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'vigil-spool-'));
  const log = join(stateDir, 'restart.log');
  writeFileSync(log, '');
  const first = await startHarness({ natsUrl: nats.url, dir: stateDir, agentId: 'agent-restart', collector: { files: [{ path: log }] } });
  await waitFor(() => first.collector.paths.includes(log), 5000, 'the file followed');
  const before = await rawCount(first.bus);
  await nats.server().stop();
  appendFileSync(log, Array.from({ length: 500 }, (_, i) => `spooled ${i}`).join('\n') + '\n');
  await waitFor(() => first.collector.spoolDepth().events >= 500, 10_000, 'lines spooled');
  await first.collector.stop();
  first.bus.nc.close().catch(() => {});
  await nats.server().restart();
  const second = await startHarness({ natsUrl: nats.url, collector: { files: [{ path: log }] }, dir: stateDir, agentId: 'agent-restart' });
  try {
    appendFileSync(log, 'after restart\n');
    await waitFor(async () => (await rawCount(second.bus)) >= before + 501, 30_000, 'spooled and new lines stored');
    await new Promise((r) => setTimeout(r, 500));
    const events = (await readRaw(second.bus)).filter((e) => e.location === log);
    assert.deepEqual(events.map((e) => e.log), [...Array.from({ length: 500 }, (_, i) => `spooled ${i}`), 'after restart']);
    assert.equal(new Set(events.map((e) => e.id)).size, 501);
  } finally {
    await second.stop();
  }
});
