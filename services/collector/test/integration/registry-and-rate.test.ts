import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { openAgentRegistry } from '../../src/adapters/agent-registry.ts';
import type { AgentRecord } from '../../src/core/agent-record.ts';
import { rawCount, readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;

test('the collector announces itself in the agent registry, sends keepalives, and marks itself stopped', { skip, timeout: 30_000 }, async () => {
  const h = await startHarness({ natsUrl: nats.url, agentId: 'agent-registry', collector: { registry: { enabled: true, keepaliveSeconds: 1 } } });
  const kv = await openAgentRegistry(h.bus.nc);
  const read = async () => (await kv.get('agent-registry'))?.json<AgentRecord>();
  try {
    const first = await waitFor(read, 5000, 'the announcement');
    assert.equal(first.id, 'agent-registry');
    assert.equal(first.name, 'test-host');
    assert.equal(first.ip, '10.9.8.7');
    assert.equal(first.status, 'active');
    assert.equal(first.os.platform, process.platform);
    assert.ok(first.version);
    const later = await waitFor(async () => {
      const r = await read();
      return r && r.last_keepalive !== first.last_keepalive ? r : undefined;
    }, 5000, 'a keepalive');
    assert.equal(later.first_seen, first.first_seen, 'first seen is kept');
  } finally {
    await h.collector.stop();
  }
  assert.equal((await read())?.status, 'stopped');
  await h.bus.nc.close();
});

test('the per-agent rate limit queues events in the spool rather than dropping them', { skip, timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rate-'));
  const log = join(dir, 'burst.log');
  writeFileSync(log, '');
  const h = await startHarness({ natsUrl: nats.url, dir, agentId: 'agent-rate', collector: { files: [{ path: log }], maxEventsPerSecond: 300 } });
  const before = await rawCount(h.bus);
  try {
    appendFileSync(log, Array.from({ length: 900 }, (_, i) => `burst ${i}`).join('\n') + '\n');
    await waitFor(() => h.collector.spoolDepth().events > 300 || undefined, 5000, 'the burst queued in the spool');
    await waitFor(async () => (await rawCount(h.bus)) === before + 900, 20_000, 'all 900 sent at the limited rate');
    const events = (await readRaw(h.bus)).filter((e) => e.agent.id === 'agent-rate');
    assert.deepEqual(events.map((e) => e.log), Array.from({ length: 900 }, (_, i) => `burst ${i}`));
  } finally {
    await h.stop();
  }
});
