import type { JsMsg } from '@nats-io/jetstream';
import {
  ACK,
  DURABLES,
  InvalidMessageError,
  runConsumer,
  validators,
  type Bus,
  type Logger,
  type Outcome,
  type PublishItem,
  type RunningConsumer,
} from '@vigil/common';
import { decodeEvent } from '../core/decode-event.ts';
import { Accumulator } from '../core/decoders/accumulator.ts';
import type { DecoderSet } from '../core/decoders/decoder-types.ts';

/**
 * Binds decoding to NATS: consumes HIDS_RAW (one durable shared by every replica), publishes each decoded event
 * to its agent's partition with the raw event id as Nats-Msg-Id, and acks the raw message once JetStream has
 * stored the decoded one. Invalid messages, and any event decoding fails on, go to the DLQ with their reason.
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
    results.forEach((r, k) => {
      const i = publishIndex[k] as number;
      outcomes[i] = r.ok ? ACK : { kind: 'retry', error: r.error };
    });
    return outcomes;
  };
  return await runConsumer({
    bus,
    stream: bus.streams.raw,
    durable: DURABLES.decoder,
    filterSubject: bus.subjects.rawAll(),
    stage: 'decoder',
    handler: handle,
    logger: logger.child({ service: 'decoder' }),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
}
