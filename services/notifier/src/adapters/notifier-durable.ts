import { AckPolicy, DeliverPolicy, type ConsumerConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Bus, Logger } from '@vigil/common';

/**
 * Creates a destination's durable pull consumer, or brings its filter subject and limits up to date.
 *
 * Unlike the pipeline's durables it starts with the alerts published from now on (a destination added later does
 * not replay the stream's days of history into Slack), never gives up on a message (the notifier keeps what it
 * holds alive with in-progress acks and dead-letters itself), and lets many messages wait unacked, since folded
 * and rate-limited alerts are acked only once the message that carries them is accepted.
 */
export async function ensureNotifierDurable(
  bus: Bus,
  logger: Logger,
  spec: { durable: string; filterSubject: string; maxAckPending: number },
): Promise<void> {
  const stream = bus.streams.alerts;
  const wanted: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    filter_subject: spec.filterSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    ack_wait: nanos(bus.config.consumers.ackWaitSeconds * 1000),
    max_deliver: -1,
    max_ack_pending: spec.maxAckPending,
  };
  let current: ConsumerConfig | undefined;
  try {
    current = (await bus.jsm.consumers.info(stream, spec.durable)).config;
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) throw err;
  }
  if (current === undefined) {
    try {
      await bus.jsm.consumers.add(stream, wanted);
    } catch (err) {
      if (!/already in use|already exists/i.test((err as Error).message)) throw err;
    }
    return;
  }
  const same =
    current.filter_subject === wanted.filter_subject &&
    current.ack_wait === wanted.ack_wait &&
    current.max_ack_pending === wanted.max_ack_pending &&
    current.max_deliver === wanted.max_deliver;
  if (same) return;
  try {
    await bus.jsm.consumers.update(stream, spec.durable, {
      filter_subject: wanted.filter_subject,
      ack_wait: wanted.ack_wait,
      max_ack_pending: wanted.max_ack_pending,
      max_deliver: wanted.max_deliver,
    } as never);
  } catch (err) {
    // Older servers refuse some changes (a new filter subject): start the durable again from now on.
    logger.warn({ durable: spec.durable, filterSubject: spec.filterSubject, err: (err as Error).message }, 'cannot update durable; recreating it');
    await bus.jsm.consumers.delete(stream, spec.durable);
    await bus.jsm.consumers.add(stream, wanted);
  }
}
