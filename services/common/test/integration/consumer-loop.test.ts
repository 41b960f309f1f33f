import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsMsg } from '@nats-io/jetstream';
import {
  connectBus,
  createLogger,
  ensureDurable,
  HOLD,
  loadConfig,
  NatsConfig,
  runConsumer,
  validators,
  type Bus,
  type HeldMessages,
  type Outcome,
} from '../../src/mod.ts';
import { useTestNats, waitFor } from '../../src/testing/mod.ts';

let bus: Bus;
const logger = createLogger({ level: 'silent' });

const nats = useTestNats({
  started: async (server) => {
    const config = loadConfig(NatsConfig, { document: { url: server.url, consumers: { ackWaitSeconds: 5, maxDeliver: 3, retryDelayMs: 50, batchSize: 10 } } });
    bus = await connectBus(config, logger, 'consumer-loop-test');
  },
  stopping: async () => {
    await bus?.nc.close();
  },
});

test('streams are set up idempotently', { skip: nats.skip }, async () => {
  const again = await connectBus(bus.config, logger, 'second');
  const names: string[] = [];
  for await (const s of bus.jsm.streams.list()) names.push(s.config.name);
  assert.deepEqual(names.sort(), ['HIDS_ALERTS', 'HIDS_AR', 'HIDS_DECODED', 'HIDS_DLQ', 'HIDS_RAW']);
  await again.nc.close();
});

test('ack, retry with back-off then dead-letter after maxDeliver, and immediate dead-letter', { skip: nats.skip }, async () => {
  const seen = new Map<string, number>();
  const handler = async (messages: readonly JsMsg[]): Promise<Outcome[]> =>
    messages.map((m) => {
      const body = m.string();
      seen.set(body, (seen.get(body) ?? 0) + 1);
      if (body === 'flaky' && (seen.get(body) ?? 0) < 2) return { kind: 'retry', error: new Error('try again') };
      if (body === 'broken') return { kind: 'retry', error: new Error('always fails') };
      if (body === 'poison') return { kind: 'dead-letter', code: 'EVENT_INVALID', reason: 'poison message' };
      return { kind: 'ack' };
    });
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: 'loop-test',
    filterSubject: bus.subjects.alertsAll(),
    stage: 'test-stage',
    handler,
    logger,
  });
  try {
    for (const body of ['ok', 'flaky', 'broken', 'poison']) await bus.js.publish(bus.subjects.alert(3, 'a1', '1'), body);
    await waitFor(() => consumer.stats.deadLettered === 2, 20_000, 'two dead letters');
    await waitFor(async () => (await bus.jsm.consumers.info(bus.streams.alerts, 'loop-test')).num_ack_pending === 0, 10_000, 'all settled');
    assert.equal(seen.get('ok'), 1);
    assert.equal(seen.get('flaky'), 2, 'a temporary failure is retried and then succeeds');
    assert.equal(seen.get('broken'), 3, 'retried until maxDeliver');
    assert.equal(seen.get('poison'), 1, 'a permanent failure is not retried');
    const dlq = await bus.js.consumers.get(bus.streams.dlq);
    const letters = [];
    for (let i = 0; i < 2; i++) {
      const m = await dlq.next({ expires: 2000 });
      assert.ok(m);
      letters.push(validators.deadLetter.assert(m.json()));
    }
    letters.sort((a, b) => a.data.localeCompare(b.data));
    assert.equal(letters[0]?.data, 'broken');
    assert.equal(letters[0]?.stage, 'test-stage');
    assert.equal(letters[0]?.code, 'PROCESSING_FAILED');
    assert.match(letters[0]?.reason ?? '', /gave up after 3 deliveries: always fails/);
    assert.equal(letters[1]?.data, 'poison');
    assert.equal(letters[1]?.code, 'EVENT_INVALID');
    assert.equal(letters[1]?.reason, 'poison message');
  } finally {
    await consumer.stop();
  }
});

test('stop() finishes the batch in hand and hands back the rest, which a restarted consumer then gets', { skip: nats.skip }, async () => {
  const firstRun = new Set<string>();
  const filterSubject = `${bus.subjects.prefix}.alerts.3.stop.>`;
  for (let i = 0; i < 20; i++) await bus.js.publish(bus.subjects.alert(3, 'stop', String(i)), String(i));
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: 'stop-test',
    filterSubject,
    stage: 'test-stage',
    logger,
    batchSize: 5,
    handler: async (messages) => {
      await new Promise((r) => setTimeout(r, 100));
      for (const m of messages) firstRun.add(m.string());
      return messages.map(() => ({ kind: 'ack' }));
    },
  });
  await waitFor(() => firstRun.size > 0, 10_000);
  await consumer.stop();
  assert.ok(firstRun.size < 20, `stop did not work through the whole backlog (${firstRun.size} handled)`);

  const secondRun: string[] = [];
  const restarted = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: 'stop-test',
    filterSubject,
    stage: 'test-stage',
    logger,
    handler: async (messages) => {
      for (const m of messages) secondRun.push(m.string());
      return messages.map(() => ({ kind: 'ack' }));
    },
  });
  try {
    // Deliveries that raced with stop() come back after the ack wait (5 s here).
    await waitFor(() => new Set([...firstRun, ...secondRun]).size === 20, 15_000, 'the rest of the backlog');
    // Nothing is lost. (A delivery racing with stop() may be handled twice: stages are idempotent for that.)
    assert.deepEqual(
      [...new Set([...firstRun, ...secondRun])].map(Number).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
    );
  } finally {
    await restarted.stop();
  }
});

/**
 * The hold hook, with a one-second ack wait: a held message is kept in progress past its ack wait (the server
 * redelivers an unacked control message meanwhile, which shows the ack wait has passed), and is acked or naked when
 * the stage releases it.
 */
async function shortAckWaitBus(): Promise<Bus> {
  const config = loadConfig(NatsConfig, { document: { url: nats.url, consumers: { ackWaitSeconds: 1, maxDeliver: 10, retryDelayMs: 50, batchSize: 10 } } });
  return await connectBus(config, logger, 'consumer-hold-test');
}

/** Waits until a message left unacked on a control durable (same ack wait) has come back `times` times. */
async function ackWaitPassed(bus: Bus, times: number, subject: string): Promise<void> {
  await ensureDurable(bus.jsm, bus.config, { stream: bus.streams.alerts, durable: 'hold-control', filterSubject: subject });
  const control = await bus.js.consumers.get(bus.streams.alerts, 'hold-control');
  let deliveries = 0;
  while (deliveries <= times) {
    const m = await control.next({ expires: 5000 });
    if (m) deliveries = m.info.deliveryCount;
  }
}

test('a held message is not redelivered past its ack wait while held; released, it is acked, or with a nak delivered again, also from the batch in hand', { skip: nats.skip }, async () => {
  const bus = await shortAckWaitBus();
  const seen: JsMsg[] = [];
  let held: HeldMessages | undefined;
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: 'hold-test',
    filterSubject: `${bus.subjects.prefix}.alerts.3.hold.>`,
    stage: 'test-stage',
    logger,
    // Holds a message on its first delivery, acks it on the next; releases `early` before returning.
    handler: async (messages, heldMessages) => {
      held = heldMessages;
      seen.push(...messages);
      for (const m of messages) if (m.string() === 'early') await heldMessages.release(m, { kind: 'ack' });
      return messages.map((m) => (m.info.deliveryCount === 1 ? HOLD : { kind: 'ack' }));
    },
  });
  const ackPending = async () => (await bus.jsm.consumers.info(bus.streams.alerts, 'hold-test')).num_ack_pending;
  try {
    await bus.js.publish(bus.subjects.alert(3, 'hold', '1'), 'kept');
    await waitFor(() => seen.length === 1 && held?.size === 1, 10_000, 'the message held');
    await bus.js.publish(bus.subjects.alert(3, 'control', '1'), 'control');
    await ackWaitPassed(bus, 2, `${bus.subjects.prefix}.alerts.3.control.>`);
    const info = await bus.jsm.consumers.info(bus.streams.alerts, 'hold-test');
    assert.equal(seen.length, 1, 'not handed to the stage again');
    assert.equal(info.num_redelivered, 0, 'not redelivered by the server');
    assert.equal(info.num_ack_pending, 1);

    await held!.release(seen[0]!, { kind: 'ack' });
    assert.equal(held!.size, 0);
    assert.equal(await ackPending(), 0, 'acked once released');
    await assert.rejects(held!.release(seen[0]!, { kind: 'ack' }), /not held/);

    await bus.js.publish(bus.subjects.alert(3, 'hold', '2'), 'again');
    await waitFor(() => seen.length === 2 && held?.size === 1, 10_000, 'the second message held');
    await held!.release(seen[1]!, { kind: 'nak', delayMs: 0 });
    await waitFor(() => seen.length === 3, 10_000, 'the naked message delivered again');
    assert.equal(seen[2]?.string(), 'again');
    assert.equal(seen[2]?.info.deliveryCount, 2);
    await waitFor(async () => (await ackPending()) === 0, 10_000, 'acked on its second delivery');
    assert.equal(held!.size, 0);

    // Released while the handler still has it (the stage settled it before the batch was done): not held after.
    const batches = consumer.stats.batches;
    await bus.js.publish(bus.subjects.alert(3, 'hold', '3'), 'early');
    await waitFor(() => consumer.stats.batches > batches, 10_000, 'the batch of the early message handled');
    assert.equal(seen[3]?.string(), 'early');
    assert.equal(held!.size, 0);
    assert.equal(await ackPending(), 0, 'the early message acked');
  } finally {
    await consumer.stop();
    await bus.nc.close();
  }
});
