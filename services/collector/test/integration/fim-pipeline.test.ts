import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validators } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;

test('FIM through the collector: a realtime change is published on hids.raw.<agent>.fim as a valid raw event with its syscheck object', { skip, timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fim-e2e-'));
  const watched = join(dir, 'etc');
  mkdirSync(watched);
  writeFileSync(join(watched, 'hosts'), '127.0.0.1 localhost\n');
  const h = await startHarness({
    natsUrl: nats.url,
    dir,
    agentId: 'agent-fim',
    // The state directory (spool, baseline) is inside the monitored tree: it must not report itself.
    collector: { fim: { enabled: true, replaceDefaults: true, directories: [{ path: dir, realtime: true, reportChanges: true }], realtimeDelayMs: 50 } },
  });
  try {
    writeFileSync(join(watched, 'hosts'), '127.0.0.1 localhost\n203.0.113.66 bank.example\n');
    chmodSync(join(watched, 'hosts'), 0o644);
    const [event] = await waitFor(async () => {
      const events = (await readRaw(h.bus)).filter((e) => e.kind === 'fim');
      return events.length > 0 ? events : undefined;
    }, 5000, 'the fim event');
    await new Promise((r) => setTimeout(r, 500));
    const fimEvents = (await readRaw(h.bus)).filter((e) => e.kind === 'fim');
    assert.equal(fimEvents.length, 1, 'one change, and nothing from the collector\'s own state files');
    assert.ok(validators.rawEvent.check(event), 'a valid raw event');
    assert.equal(event?.location, 'syscheck');
    const syscheck = (event?.payload as { syscheck: Record<string, unknown> }).syscheck;
    assert.equal(syscheck['path'], join(watched, 'hosts'));
    assert.equal(syscheck['event'], 'modified');
    assert.equal(syscheck['mode'], 'realtime');
    assert.equal(syscheck['diff'], '1a2\n> 203.0.113.66 bank.example');
    const msg = await h.bus.jsm.streams.getMessage(h.bus.streams.raw, { last_by_subj: h.bus.subjects.raw('agent-fim', 'fim') });
    assert.equal(msg?.subject, 'hids.raw.agent-fim.fim');
  } finally {
    await h.stop();
  }
});
