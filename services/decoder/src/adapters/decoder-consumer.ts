import type { JsMsg } from '@nats-io/jetstream';
import {
  ACK,
  DURABLES,
  holdDelay,
  InvalidMessageError,
  MessageHold,
  runConsumer,
  ThrottledLog,
  VigilError,
  validators,
  type Bus,
  type Logger,
  type Outcome,
  type PublishItem,
  type PublishResult,
  type RunningConsumer,
} from '@vigil/common';
import { decodeEvent } from '../core/decode-event.ts';
import { Accumulator } from '../core/decoders/accumulator.ts';
import type { DecoderSet } from '../core/decoders/decoder-types.ts';

/**
 * Binds decoding to NATS: consumes HIDS_RAW (one durable shared by every replica), publishes each decoded event
 * to its agent's partition with the raw event id as Nats-Msg-Id, and acks the raw message once JetStream has
 * stored the decoded one. Invalid messages, and any event decoding fails on, go to the DLQ with their reason.
 * When HIDS_DECODED is at its budget and refuses new messages (STREAM_FULL), the batch is held and published again
 * with back-off, so the raw events wait in their stream (and then in the collectors' spools) instead of going to
 * the DLQ.
 */
export async function startDecoderConsumer(options: {
  bus: Bus;
  logger: Logger;
  partitions: number;
  /**
   * The compiled decoders (see loadDecoderFiles), or a function giving the ones in service (read once per batch,
   * so a reload takes effect between two batches); without them only pre-decoding runs.
   */
  decoders?: DecoderSet | (() => DecoderSet);
  batchSize?: number;
}): Promise<RunningConsumer> {
  const { bus, logger, partitions } = options;
  const inService = options.decoders;
  const accumulator = new Accumulator();
  const held = new MessageHold(bus.config.consumers.ackWaitSeconds);
  const fullLog = new ThrottledLog();
  const log = logger.child({ service: 'decoder' });
  const isFull = (r: PublishResult) => !r.ok && r.error instanceof VigilError && r.error.code === 'STREAM_FULL';
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const now = new Date();
    const decoders = typeof inService === 'function' ? inService() : inService;
    const outcomes: Outcome[] = new Array(messages.length);
    const publishes: PublishItem[] = [];
    const publishIndex: number[] = [];
    messages.forEach((msg, i) => {
      try {
        const raw = validators.rawEvent.parse(msg.data);
        const fromSubject = bus.subjects.parseRaw(msg.subject);
        if (!fromSubject || fromSubject.agent !== raw.agent.id) {
          throw new InvalidMessageError(
            'AGENT_MISMATCH',
            `agent id '${raw.agent.id}' in the event differs from '${fromSubject?.agent ?? '?'}' in subject ${msg.subject}`,
          );
        }
        const decoded = decodeEvent(raw, { partitions, now, accumulator, ...(decoders ? { decoders } : {}) });
        publishes.push({ subject: bus.subjects.decoded(decoded.partition, decoded.agent.id), data: JSON.stringify(decoded), msgId: decoded.id });
        publishIndex.push(i);
      } catch (err) {
        if (err instanceof InvalidMessageError) outcomes[i] = { kind: 'dead-letter', code: err.code, reason: err.message };
        else outcomes[i] = { kind: 'dead-letter', code: 'PROCESSING_FAILED', reason: `decoding failed: ${(err as Error).message}` };
      }
    });
    const results = await bus.publisher.publishAll(publishes);
    for (let round = 1; results.some(isFull); round++) {
      const full = results.flatMap((r, k) => (isFull(r) ? [k] : []));
      const delay = holdDelay(Math.max(100, bus.config.consumers.retryDelayMs / 4), round);
      fullLog.maybe((suppressed) =>
        log.error({ stream: bus.streams.decoded, held: full.length, retryInMs: delay, suppressed }, 'the decoded stream is full (its budget, discard new): holding the batch until the rule engine makes room'),
      );
      // The whole batch waits (its acks go out together), so all of it is kept from redelivery.
      if (!(await held.hold(messages, delay))) break;
      const again = await bus.publisher.publishAll(full.map((k) => publishes[k] as PublishItem));
      full.forEach((k, j) => (results[k] = again[j] as PublishResult));
    }
    if (!results.some(isFull)) fullLog.reset();
    results.forEach((r, k) => {
      const i = publishIndex[k] as number;
      outcomes[i] = r.ok ? ACK : { kind: 'retry', error: r.error };
    });
    return outcomes;
  };
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.raw,
    durable: DURABLES.decoder,
    filterSubject: bus.subjects.rawAll(),
    stage: 'decoder',
    handler: handle,
    logger: log,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
  return {
    stats: consumer.stats,
    done: consumer.done,
    async stop() {
      held.stop();
      await consumer.stop();
    },
  };
}
