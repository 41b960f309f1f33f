import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, type Bus, type DecodedEvent } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { resolveAgent, startCollector } from '@vigil/collector';
import { startService, type StartedService } from '../../src/services.ts';
import { testConfig, testConfigDocument } from '../harness.ts';

const nats = useTestNats();
const RAW_BUDGET = 64 * 1024;

/** Every decoded event in HIDS_DECODED (an ordered consumer, read to the end). */
async function readDecoded(bus: Bus): Promise<DecodedEvent[]> {
  const total = (await bus.jsm.streams.info(bus.streams.decoded)).state.messages;
  const consumer = await bus.js.consumers.get(bus.streams.decoded);
  const out: DecodedEvent[] = [];
  while (out.length < total) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
    let got = 0;
    for await (const m of batch) {
      out.push(m.json<DecodedEvent>());
      got++;
    }
    if (got === 0) break;
  }
  return out;
}

test('a full raw stream (discard new) holds events in the collector spool, and all of them arrive once the decoder drains it', { skip: nats.skip, timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-raw-budget-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const document = testConfigDocument({ dataDir: dir, natsUrl: nats.url, watched: [log] });
  const config = testConfig({
    ...document,
    nats: { ...(document['nats'] as object), streams: { budgetCheckSeconds: 0.2, raw: { maxBytes: RAW_BUDGET } } },
    collector: { ...(document['collector'] as object), files: [{ path: log, startAt: 'beginning' }] },
  });
  assert.equal(config.nats.streams.raw.discard, 'new', 'the raw stream refuses new messages at its budget by default');
  const logger = createLogger({ level: process.env['VIGIL_TEST_LOG'] ?? 'silent' });
  const bus = await connectBus(config.nats, logger, 'raw-budget-test');
  const started: StartedService[] = [];
  t.after(async () => {
    for (const s of started.reverse()) await s.stop();
    await bus.nc.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const raw = await bus.jsm.streams.info(bus.streams.raw);
  assert.equal(raw.config.max_bytes, RAW_BUDGET);
  assert.equal(raw.config.discard, 'new');

  // Only the collector: nothing drains the raw stream yet.
  const collector = await startCollector({ config: config.collector, agent: resolveAgent(config.agent), bus, logger });
  started.push({ name: 'collector', stop: () => collector.stop() });
  await collector.ready;
  const lines = Array.from({ length: 3000 }, (_, i) => `Dec  6 10:00:00 host-1 app[42]: event ${i} ${'z'.repeat(80)}`);
  appendFileSync(log, `${lines.join('\n')}\n`);

  // The stream fills to its budget and refuses the rest: the collector keeps it in its spool and retries.
  await waitFor(async () => (await bus.jsm.streams.info(bus.streams.raw)).state.bytes > RAW_BUDGET * 0.9, 60_000, 'the raw stream at its budget');
  await waitFor(() => collector.spoolDepth().events > 0, 30_000, 'events held in the spool');
  const full = await bus.jsm.streams.info(bus.streams.raw);
  assert.ok(full.state.bytes <= RAW_BUDGET, `the stream keeps to its budget (${full.state.bytes} bytes)`);
  assert.ok(full.state.messages < lines.length, `the stream holds ${full.state.messages} of ${lines.length} events`);
  // Nothing was dropped: what is not in the stream is in the spool.
  assert.ok(full.state.messages + collector.spoolDepth().events >= lines.length, `${full.state.messages} in the stream + ${collector.spoolDepth().events} spooled`);

  // The decoder drains the stream; it trims what it consumed, so the collector's retries get through.
  started.push(await startService('decoder', config, bus, logger));
  await waitFor(async () => (await bus.jsm.streams.info(bus.streams.decoded)).state.messages >= lines.length, 120_000, 'every event decoded');
  const decoded = (await readDecoded(bus)).filter((e) => e.location === log);
  assert.equal(decoded.length, lines.length, 'each event once');
  assert.deepEqual(decoded.map((e) => e.full_log).sort(), [...lines].sort(), 'every line delivered');
  await waitFor(() => collector.spoolDepth().events === 0, 30_000, 'the spool drained');
  const after = await bus.jsm.streams.info(bus.streams.raw);
  assert.ok(after.state.bytes <= RAW_BUDGET);
});
