import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { errorMessage, VigilError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Bus } from './nats-connection.ts';
import { deadLetterMessage } from './dead-letter.ts';
import { ensureDurable } from './streams.ts';

/** What a stage decided for one message. */
export type Outcome =
  | { kind: 'ack' }
  /** A temporary failure: nak with a growing delay, dead-letter once maxDeliver is reached. */
  | { kind: 'retry'; error: unknown }
  /** A permanent failure: the message goes to the DLQ with this code and reason, then is acked. */
  | { kind: 'dead-letter'; code: string; reason: string };

export const ACK: Outcome = { kind: 'ack' };

/** Handles a batch; returns one outcome per message, in order. Throwing retries the whole batch. */
export type BatchHandler = (messages: readonly JsMsg[]) => Promise<Outcome[]>;

export interface ConsumerLoopOptions {
  bus: Bus;
  stream: string;
  durable: string;
  filterSubject: string;
  /** Stage name, used in dead-letter subjects and logs. */
  stage: string;
  handler: BatchHandler;
  logger: Logger;
  batchSize?: number;
}

export interface RunningConsumer {
  /** Stops pulling, finishes the batch in hand and waits for it. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
  readonly stats: { batches: number; acked: number; retried: number; deadLettered: number };
}

/** The nak delay for a message delivered `deliveryCount` times: doubles each time, at most one minute. */
export function retryDelay(firstDelayMs: number, deliveryCount: number): number {
  return Math.min(60_000, firstDelayMs * 2 ** Math.max(0, deliveryCount - 1));
}

/**
 * Pulls from a durable consumer and hands the stage batches of what is buffered (up to batchSize), so the cost of
 * acks and publishes is shared at high rates while a lone message is handled at once at low rates. Applies the
 * outcome of each message: ack, nak with back-off, or dead-letter with the reason.
 */
export async function runConsumer(options: ConsumerLoopOptions): Promise<RunningConsumer> {
  const { bus, stream, durable, stage, handler, logger } = options;
  const cfg = bus.config.consumers;
  const batchSize = options.batchSize ?? cfg.batchSize;
  await ensureDurable(bus.jsm, bus.config, { stream, durable, filterSubject: options.filterSubject });
  const consumer = await bus.js.consumers.get(stream, durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: batchSize * 2 });
  const stats = { batches: 0, acked: 0, retried: 0, deadLettered: 0 };
  const queue: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let stopping = false;

  const pump = (async () => {
    try {
      for await (const msg of messages) {
        if (stopping) {
          // Not ours to handle any more: let another replica (or our restart) have it now.
          msg.nak();
          continue;
        }
        queue.push(msg);
        wake?.();
      }
    } catch (err) {
      logger.error({ err, durable }, 'consumer stopped with an error');
    } finally {
      ended = true;
      wake?.();
    }
  })();

  const apply = async (msg: JsMsg, outcome: Outcome): Promise<void> => {
    if (outcome.kind === 'ack') {
      msg.ack();
      stats.acked++;
      return;
    }
    let code: string;
    let reason: string;
    if (outcome.kind === 'retry') {
      const deliveries = msg.info.deliveryCount;
      if (deliveries < cfg.maxDeliver) {
        const delay = retryDelay(cfg.retryDelayMs, deliveries);
        logger.warn({ subject: msg.subject, seq: msg.seq, deliveries, delay, err: errorMessage(outcome.error) }, 'will retry message');
        msg.nak(delay);
        stats.retried++;
        return;
      }
      code = outcome.error instanceof VigilError ? outcome.error.code : 'PROCESSING_FAILED';
      reason = `gave up after ${deliveries} deliveries: ${errorMessage(outcome.error)}`;
    } else {
      code = outcome.code;
      reason = outcome.reason;
    }
    await deadLetterMessage(bus.js, bus.subjects, msg, { stage, code, reason });
    logger.warn({ subject: msg.subject, seq: msg.seq, code, reason }, 'message sent to the dead-letter stream');
    msg.ack();
    stats.deadLettered++;
  };

  const work = (async () => {
    while (true) {
      if (stopping && queue.length > 0) {
        // Stopping: hand back what was buffered but not started, so another replica (or our restart) takes it now.
        for (const msg of queue.splice(0)) msg.nak();
      }
      if (queue.length === 0) {
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      const batch = queue.splice(0, batchSize);
      let outcomes: Outcome[];
      // Messages pulled behind a batch the stage holds (a full disk, a full stream downstream) are kept from
      // redelivery while they wait, like the held batch itself.
      const keepQueued = setInterval(() => queue.forEach((m) => m.working()), Math.max(50, (bus.config.consumers.ackWaitSeconds * 1000) / 3));
      try {
        outcomes = await handler(batch);
        if (outcomes.length !== batch.length) throw new Error(`handler returned ${outcomes.length} outcomes for ${batch.length} messages`);
      } catch (error) {
        logger.error({ err: error, durable, size: batch.length }, 'batch failed; retrying its messages');
        outcomes = batch.map(() => ({ kind: 'retry', error }));
      } finally {
        clearInterval(keepQueued);
      }
      stats.batches++;
      // Acks go out together: no await between them, so the client writes them to the socket in one go.
      const letters: number[] = [];
      for (let i = 0; i < batch.length; i++) {
        const outcome = outcomes[i] as Outcome;
        if (outcome.kind === 'ack') {
          (batch[i] as JsMsg).ack();
          stats.acked++;
        } else letters.push(i);
      }
      for (const i of letters) {
        try {
          await apply(batch[i] as JsMsg, outcomes[i] as Outcome);
        } catch (err) {
          // The dead-letter publish itself failed: leave the message unacked so it is redelivered.
          logger.error({ err, subject: batch[i]?.subject }, 'could not apply outcome; message will be redelivered');
          batch[i]?.nak(cfg.retryDelayMs);
        }
      }
    }
  })();

  const done = Promise.all([pump, work]).then(() => undefined);
  return {
    stats,
    done,
    async stop() {
      stopping = true;
      await messages.close();
      wake?.();
      await done;
    },
  };
}
