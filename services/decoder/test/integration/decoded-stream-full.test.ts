import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AckPolicy } from '@nats-io/jetstream';
import { connectBus, createLogger, DURABLES, loadConfig, NatsConfig, trimConsumed, type Bus } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { startDecoderConsumer } from '../../src/adapters/decoder-consumer.ts';

const DECODED_BUDGET = 32 * 1024;
let bus: Bus;
const nats = useTestNats({
  started: async (server) => {
    // maxDeliver 2 and a short ack wait: a batch that was nak-ed or redelivered would reach the DLQ at once.
    const config = loadConfig(NatsConfig, {
      document: { url: server.url, streams: { decoded: { maxBytes: DECODED_BUDGET } }, consumers: { ackWaitSeconds: 1, maxDeliver: 2, retryDelayMs: 50, batchSize: 20 } },
    });
    bus = await connectBus(config, createLogger({ level: 'silent' }), 'decoded-full-test');
  },
  stopping: async () => await bus?.nc.close(),
});

test('a full decoded stream holds the decoder (no redelivery, no DLQ) until the rule engine makes room; then every event arrives once', { skip: nats.skip, timeout: 120_000 }, async (t) => {
  // Stands in for the rule engine: a durable over the decoded stream, read and acked by the test.
  await bus.jsm.consumers.add(bus.streams.decoded, { durable_name: 'drain', ack_policy: AckPolicy.Explicit, filter_subject: bus.subjects.decodedAll() });
  const decoder = await startDecoderConsumer({ bus, logger: createLogger({ level: 'silent' }), partitions: 2 });
  t.after(() => decoder.stop());
  const total = 300;
  const raw = Array.from({ length: total }, (_, i) => ({
    subject: bus.subjects.raw('full-1', 'log'),
    data: JSON.stringify({ v: 1, id: `full-1:${i}`, seq: i, agent: { id: 'full-1', name: 'full' }, kind: 'log', location: 'app', collectedAt: new Date().toISOString(), log: `event ${i} ${'w'.repeat(200)}` }),
    msgId: `full-1:${i}`,
  }));
  assert.ok((await bus.publisher.publishAll(raw)).every((r) => r.ok));

  await waitFor(async () => (await bus.jsm.streams.info(bus.streams.decoded)).state.bytes > DECODED_BUDGET * 0.8, 30_000, 'the decoded stream at its budget');
  // Held well past the ack wait: the raw events are neither redelivered nor dead-lettered.
  const rawInfo = await waitFor(async () => {
    const info = await bus.jsm.consumers.info(bus.streams.raw, DURABLES.decoder);
    return info.num_ack_pending > 0 && info;
  }, 10_000, 'raw events held by the decoder');
  assert.ok((await bus.jsm.streams.info(bus.streams.decoded)).state.messages < total);
  assert.equal(rawInfo.num_redelivered, 0);
  assert.equal((await bus.jsm.streams.info(bus.streams.dlq)).state.messages, 0);

  // The "rule engine" reads and acks, and trims what it consumed: the decoder goes on.
  const drain = await bus.js.consumers.get(bus.streams.decoded, 'drain');
  const seen = new Set<string>();
  await waitFor(
    async () => {
      const batch = await drain.fetch({ max_messages: 100, expires: 1000 });
      for await (const m of batch) {
        seen.add(m.headers?.get('Nats-Msg-Id') ?? '');
        m.ack();
      }
      await bus.nc.flush();
      await trimConsumed(bus.jsm, bus.streams.decoded);
      return seen.size === total;
    },
    90_000,
    'every event decoded',
  );
  assert.deepEqual([...seen].sort(), raw.map((r) => r.msgId).sort());
  await waitFor(() => decoder.stats.acked === total, 10_000, 'every raw event acked');
  // Each raw event was delivered once: the held batch and the messages pulled behind it were kept alive.
  assert.equal((await bus.jsm.consumers.info(bus.streams.raw, DURABLES.decoder)).delivered.consumer_seq, total);
  assert.equal(decoder.stats.deadLettered, 0);
  assert.equal((await bus.jsm.streams.info(bus.streams.dlq)).state.messages, 0);
  assert.ok((await bus.jsm.streams.info(bus.streams.decoded)).state.bytes <= DECODED_BUDGET);
});
