import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { errorMessage, VigilError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Bus } from './nats-connection.ts';
import { deadLetterMessage } from './dead-letter.ts';
import { HeldSet, heartbeatInterval } from './held-messages.ts';
import { ensureDurable } from './streams.ts';

/** What a stage decided for one message. */
export type Outcome =
  | { kind: 'ack' }
  /** A temporary failure: nak with a growing delay, dead-letter once maxDeliver is reached. */
  | { kind: 'retry'; error: unknown }
  /** Give the message back for redelivery after `delayMs` (0: at once; default: the first retry delay); never dead-letters. */
  | { kind: 'nak'; delayMs?: number }
  /**
   * A permanent failure: the message goes to the DLQ with this code and reason, then is acked. `stage` names the
   * stage in the dead-letter subject (default: the loop's stage).
   */
  | { kind: 'dead-letter'; code: string; reason: string; stage?: string }
  /**
   * The stage keeps the message for later (a fold window, a rate limit): the loop keeps it in progress
   * (`working()`) so it is not redelivered, until the stage settles it with `held.release(msg, outcome)`.
   */
  | { kind: 'hold' };

/** How a held message is settled: any outcome but holding it again. */
export type Settlement = Exclude<Outcome, { kind: 'hold' }>;

export const ACK: Outcome = { kind: 'ack' };
export const HOLD: Outcome = { kind: 'hold' };

/** The messages a stage holds (outcome `hold`), kept in progress by the loop until released. */
export interface HeldMessages {
  /**
   * Ends the hold of a message and applies the outcome. A message of the batch in hand may be released before the
   * handler returns (the handler's outcome for it is then ignored). Acks (also the ack after a dead letter) wait
   * for the server to confirm them. Rejects when the outcome cannot be applied: a message whose dead letter cannot
   * be published stays held (release it again, with a nak for instance); an unconfirmed ack (AckNotConfirmedError)
   * is left as is: the server redelivers the message if the ack was lost.
   */
  release(msg: JsMsg, outcome: Settlement): Promise<void>;
  /** How many messages are held. */
  readonly size: number;
}

/** Handles a batch; returns one outcome per message, in order. Throwing retries the whole batch. */
export type BatchHandler = (messages: readonly JsMsg[], held: HeldMessages) => Promise<Outcome[]>;

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
  /** Creates or updates the durable; by default `ensureDurable` with the pipeline's consumer settings. */
  ensure?: () => Promise<void>;
  /** The first nak delay (doubling on each retry); by default `nats.consumers.retryDelayMs`. */
  retryDelayMs?: number;
}

export interface RunningConsumer {
  /**
   * Stops pulling, finishes the batch in hand and waits for it; buffered messages not started are naked. Messages
   * the stage holds stay held (in progress) until it releases them.
   */
  stop(): Promise<void>;
  readonly done: Promise<void>;
  readonly stats: { batches: number; acked: number; retried: number; deadLettered: number };
}

/** The server did not confirm an ack of a released message (it may still have been applied). */
export class AckNotConfirmedError extends VigilError {
  constructor(msg: JsMsg, cause: unknown) {
    super('NATS_UNAVAILABLE', `ack of ${msg.subject} #${msg.seq} not confirmed: ${errorMessage(cause)}`, {
      cause,
      temporary: true,
      details: { subject: msg.subject, seq: msg.seq },
    });
    this.name = 'AckNotConfirmedError';
  }
}

/** The nak delay for a message delivered `deliveryCount` times: doubles each time, at most one minute. */
export function retryDelay(firstDelayMs: number, deliveryCount: number): number {
  return Math.min(60_000, firstDelayMs * 2 ** Math.max(0, deliveryCount - 1));
}

/**
 * Pulls from a durable consumer and hands the stage batches of what is buffered (up to batchSize), so the cost of
 * acks and publishes is shared at high rates while a lone message is handled at once at low rates. Applies the
 * outcome of each message: ack, nak with back-off, dead-letter with the reason, or hold it in progress until the
 * stage releases it.
 */
export async function runConsumer(options: ConsumerLoopOptions): Promise<RunningConsumer> {
  const { bus, stream, durable, stage, handler, logger } = options;
  const cfg = bus.config.consumers;
  const batchSize = options.batchSize ?? cfg.batchSize;
  const firstDelayMs = options.retryDelayMs ?? cfg.retryDelayMs;
  if (options.ensure) await options.ensure();
  else await ensureDurable(bus.jsm, bus.config, { stream, durable, filterSubject: options.filterSubject });
  const consumer = await bus.js.consumers.get(stream, durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: batchSize * 2 });
  const stats = { batches: 0, acked: 0, retried: 0, deadLettered: 0 };
  const queue: JsMsg[] = [];
  const holding = new HeldSet(heartbeatInterval(cfg.ackWaitSeconds));
  /** The batch the handler has, and those of its messages the stage released before the handler returned. */
  const inHand = new Set<JsMsg>();
  const releasedInHand = new Set<JsMsg>();
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

  /** Acks, waiting for the server's confirmation when `confirm` (a released message). */
  const ack = async (msg: JsMsg, confirm: boolean): Promise<void> => {
    if (!confirm) return msg.ack();
    try {
      await msg.ackAck();
    } catch (err) {
      throw new AckNotConfirmedError(msg, err);
    }
  };

  /** Applies an outcome; throws (the message untouched) when a dead letter cannot be published. */
  const apply = async (msg: JsMsg, outcome: Settlement, confirm: boolean): Promise<void> => {
    if (outcome.kind === 'ack') {
      stats.acked++;
      await ack(msg, confirm);
      return;
    }
    if (outcome.kind === 'nak') {
      msg.nak(outcome.delayMs ?? firstDelayMs);
      stats.retried++;
      return;
    }
    let code: string;
    let reason: string;
    if (outcome.kind === 'retry') {
      const deliveries = msg.info.deliveryCount;
      if (deliveries < cfg.maxDeliver) {
        const delay = retryDelay(firstDelayMs, deliveries);
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
    const letterStage = outcome.kind === 'dead-letter' ? (outcome.stage ?? stage) : stage;
    await deadLetterMessage(bus.js, bus.subjects, msg, { stage: letterStage, code, reason });
    logger.warn({ subject: msg.subject, seq: msg.seq, stage: letterStage, code, reason }, 'message sent to the dead-letter stream');
    stats.deadLettered++;
    await ack(msg, confirm);
  };

  const held: HeldMessages = {
    get size() {
      return holding.size;
    },
    async release(msg, outcome) {
      const wasHeld = holding.has(msg);
      if (!wasHeld && !(inHand.has(msg) && !releasedInHand.has(msg))) {
        throw new VigilError('PROCESSING_FAILED', `${stage}: release of a message that is not held (${msg.subject} #${msg.seq})`, {
          details: { subject: msg.subject, seq: msg.seq },
        });
      }
      if (wasHeld) holding.delete(msg);
      else releasedInHand.add(msg);
      try {
        await apply(msg, outcome, true);
      } catch (err) {
        if (!(err instanceof AckNotConfirmedError)) holding.add(msg);
        throw err;
      }
    },
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
      for (const msg of batch) inHand.add(msg);
      let outcomes: Outcome[];
      // Messages pulled behind a batch the stage holds (a full disk, a full stream downstream) are kept from
      // redelivery while they wait, like the held batch itself.
      const keepQueued = setInterval(() => queue.forEach((m) => m.working()), Math.max(50, (bus.config.consumers.ackWaitSeconds * 1000) / 3));
      try {
        outcomes = await handler(batch, held);
        if (outcomes.length !== batch.length) throw new Error(`handler returned ${outcomes.length} outcomes for ${batch.length} messages`);
      } catch (error) {
        logger.error({ err: error, durable, size: batch.length }, 'batch failed; retrying its messages');
        outcomes = batch.map(() => ({ kind: 'retry', error }));
      } finally {
        clearInterval(keepQueued);
      }
      stats.batches++;
      // Acks go out together: no await between them, so the client writes them to the socket in one go.
      const others: number[] = [];
      for (let i = 0; i < batch.length; i++) {
        const outcome = outcomes[i] as Outcome;
        if (releasedInHand.has(batch[i] as JsMsg)) continue;
        if (outcome.kind === 'ack') {
          (batch[i] as JsMsg).ack();
          stats.acked++;
        } else if (outcome.kind === 'hold') holding.add(batch[i] as JsMsg);
        else others.push(i);
      }
      inHand.clear();
      releasedInHand.clear();
      for (const i of others) {
        try {
          await apply(batch[i] as JsMsg, outcomes[i] as Settlement, false);
        } catch (err) {
          // The dead-letter publish itself failed: leave the message unacked so it is redelivered.
          logger.error({ err, subject: batch[i]?.subject }, 'could not apply outcome; message will be redelivered');
          batch[i]?.nak(firstDelayMs);
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
