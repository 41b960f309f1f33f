import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsMsg } from '@nats-io/jetstream';
import { connectBus, createLogger, ensureDurable, HOLD, loadConfig, NatsConfig, runConsumer, type Bus, type HeldMessages } from '../../src/mod.ts';
import { useTestNats, waitFor } from '../../src/testing/mod.ts';

/**
 * The hold hook of the consumer loop against a real nats-server with a one-second ack wait: a held message is
 * kept in progress past its ack wait (the server redelivers an unacked control message meanwhile, which shows the
 * ack wait has passed), and is acked or naked when the stage releases it.
 */

let bus: Bus;
const logger = createLogger({ level: 'silent' });

const nats = useTestNats({
  started: async (server) => {
    const config = loadConfig(NatsConfig, { document: { url: server.url, consumers: { ackWaitSeconds: 1, maxDeliver: 3, retryDelayMs: 50, batchSize: 10 } } });
    bus = await connectBus(config, logger, 'consumer-hold-test');
  },
  stopping: async () => {
    await bus?.nc.close();
  },
});

/** Waits until a message left unacked on a control durable (same ack wait) has come back `times` times. */
async function ackWaitPassed(times: number, subject: string): Promise<void> {
  await ensureDurable(bus.jsm, bus.config, { stream: bus.streams.alerts, durable: 'hold-control', filterSubject: subject });
  const control = await bus.js.consumers.get(bus.streams.alerts, 'hold-control');
  let deliveries = 0;
  while (deliveries <= times) {
    const m = await control.next({ expires: 5000 });
    if (m) deliveries = m.info.deliveryCount;
  }
}

test('a held message is not redelivered past its ack wait while held, and is acked on release', { skip: nats.skip }, async () => {
  const filterSubject = `${bus.subjects.prefix}.alerts.3.hold.>`;
  const seen: JsMsg[] = [];
  let held: HeldMessages | undefined;
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: 'hold-test',
    filterSubject,
    stage: 'test-stage',
    logger,
    handler: async (messages, heldMessages) => {
      held = heldMessages;
      seen.push(...messages);
      return messages.map(() => HOLD);
    },
  });
  try {
    await bus.js.publish(bus.subjects.alert(3, 'hold', '1'), 'kept');
    await waitFor(() => seen.length === 1 && held?.size === 1, 10_000, 'the message held');
    await bus.js.publish(bus.subjects.alert(3, 'control', '1'), 'control');
    await ackWaitPassed(2, `${bus.subjects.prefix}.alerts.3.control.>`);
    const info = await bus.jsm.consumers.info(bus.streams.alerts, 'hold-test');
    assert.equal(seen.length, 1, 'not handed to the stage again');
    assert.equal(info.num_redelivered, 0, 'not redelivered by the server');
    assert.equal(info.num_ack_pending, 1);

    await held!.release(seen[0]!, { kind: 'ack' });
    assert.equal(held!.size, 0);
    assert.equal((await bus.jsm.consumers.info(bus.streams.alerts, 'hold-test')).num_ack_pending, 0, 'acked once released');
    await assert.rejects(held!.release(seen[0]!, { kind: 'ack' }), /not held/);
    assert.equal(consumer.stats.acked, 1);
  } finally {
    await consumer.stop();
  }
});

test('a held message released with a nak is delivered again', { skip: nats.skip }, async () => {
  const filterSubject = `${bus.subjects.prefix}.alerts.3.again.>`;
  const seen: JsMsg[] = [];
  let held: HeldMessages | undefined;
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: 'hold-nak-test',
    filterSubject,
    stage: 'test-stage',
    logger,
    handler: async (messages, heldMessages) => {
      held = heldMessages;
      seen.push(...messages);
      return messages.map((m) => (m.info.deliveryCount === 1 ? HOLD : { kind: 'ack' }));
    },
  });
  try {
    await bus.js.publish(bus.subjects.alert(3, 'again', '1'), 'again');
    await waitFor(() => held?.size === 1, 10_000, 'the message held');
    await held!.release(seen[0]!, { kind: 'nak', delayMs: 0 });
    await waitFor(() => seen.length === 2, 10_000, 'the message delivered again');
    assert.equal(seen[1]?.string(), 'again');
    assert.equal(seen[1]?.info.deliveryCount, 2);
    await waitFor(async () => (await bus.jsm.consumers.info(bus.streams.alerts, 'hold-nak-test')).num_ack_pending === 0, 10_000, 'acked the second time');
    assert.equal(held!.size, 0);
  } finally {
    await consumer.stop();
  }
});
