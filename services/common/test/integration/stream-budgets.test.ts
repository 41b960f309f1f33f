import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AckPolicy, DiscardPolicy } from '@nats-io/jetstream';
import { connectBus, createLogger, ensureStreams, loadConfig, NatsConfig, trimConsumed, type Bus } from '../../src/mod.ts';
import { useTestNats } from '../../src/testing/mod.ts';

let bus: Bus;
const nats = useTestNats({
  started: async (server) => {
    // As before budgets: no size limit, discard old.
    const old = loadConfig(NatsConfig, { document: { url: server.url, streams: { raw: { maxBytes: -1, discard: 'old' }, decoded: { maxBytes: -1, discard: 'old' } } } });
    bus = await connectBus(old, createLogger({ level: 'silent' }), 'stream-budgets-test');
  },
  stopping: async () => await bus?.nc.close(),
});

test('the defaults give every stream a budget; raw and decoded refuse new messages, alerts and DLQ drop the oldest', () => {
  const defaults = loadConfig(NatsConfig, { document: {} }).streams;
  assert.deepEqual(
    [defaults.raw, defaults.decoded, defaults.alerts, defaults.dlq].map((s) => [s.maxBytes, s.discard]),
    [
      [1024 ** 3, 'new'],
      [1024 ** 3, 'new'],
      [1024 ** 3, 'old'],
      [256 * 1024 ** 2, 'old'],
    ],
  );
});

test('existing streams get their budget and discard policy when a service starts', { skip: nats.skip }, async () => {
  assert.equal((await bus.jsm.streams.info(bus.streams.raw)).config.discard, DiscardPolicy.Old);
  await ensureStreams(bus.jsm, loadConfig(NatsConfig, { document: { url: nats.url } }));
  const raw = await bus.jsm.streams.info(bus.streams.raw);
  assert.equal(raw.config.discard, DiscardPolicy.New);
  assert.equal(raw.config.max_bytes, 1024 ** 3);
  assert.equal((await bus.jsm.streams.info(bus.streams.alerts)).config.discard, DiscardPolicy.Old);
});

test('trimming removes what every durable acknowledged, per filter, and nothing without durables', { skip: nats.skip }, async () => {
  const stream = bus.streams.decoded;
  const publish = async (p: number, n: number) => {
    for (let i = 0; i < n; i++) await bus.js.publish(bus.subjects.decoded(p, `agent-${p}`), `p${p}-${i}`);
  };
  await publish(0, 10);
  await publish(1, 10);
  assert.equal(await trimConsumed(bus.jsm, stream), 0, 'no durable: nothing is trimmed');
  // Partition 0's durable acks 6, partition 1's acks all; an ephemeral reader holds nothing back.
  const add = (durable: string, filter: string) => bus.jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: filter });
  await add('p0', 'hids.decoded.0.>');
  await add('p1', 'hids.decoded.1.>');
  const ack = async (durable: string, n: number) => {
    const c = await bus.js.consumers.get(stream, durable);
    const batch = await c.fetch({ max_messages: n, expires: 2000 });
    for await (const m of batch) await m.ackAck();
  };
  await ack('p0', 6);
  await ack('p1', 10);
  const ephemeral = await bus.js.consumers.get(stream);
  await ephemeral.next();
  assert.equal(await trimConsumed(bus.jsm, stream), 16);
  const left: string[] = [];
  const reader = await bus.js.consumers.get(stream);
  const batch = await reader.fetch({ max_messages: 100, expires: 2000 });
  for await (const m of batch) left.push(m.string());
  assert.deepEqual(left, ['p0-6', 'p0-7', 'p0-8', 'p0-9']);
  // A durable over everything holds back what it has not acknowledged, in every partition.
  await add('all', 'hids.decoded.>');
  await ack('p0', 4);
  assert.equal(await trimConsumed(bus.jsm, stream), 0, "the wide durable's floor is 0");
  await ack('all', 4);
  assert.equal(await trimConsumed(bus.jsm, stream), 4);
  assert.equal((await bus.jsm.streams.info(stream)).state.messages, 0);
});
