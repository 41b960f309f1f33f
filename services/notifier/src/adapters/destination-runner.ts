import type { JsMsg } from '@nats-io/jetstream';
import {
  AckNotConfirmedError,
  errorMessage,
  HOLD,
  InvalidMessageError,
  runConsumer,
  validators,
  type Alert,
  type Bus,
  type HeldMessages,
  type Logger,
  type Outcome,
  type RunningConsumer,
  type Settlement,
} from '@vigil/common';
import type { ResolvedDestination } from '../core/destinations.ts';
import { admitAlert, closeDueWindows, emptyFoldState, heldInWindows, nextWindowClose, type QueuedItem } from '../core/fold-window.ts';
import { nextNotice, type Notice } from '../core/notice.ts';
import { availableTokens, fullBucket, takeToken } from '../core/rate-limit.ts';
import { nextStep, type PostResult, type RetrySettings } from '../core/retry-policy.ts';
import { compileFilter, filterSubject, matchesFilter } from '../core/route-filter.ts';
import { toSlackPayload } from '../core/slack-payload.ts';
import { toWebhookPayload } from '../core/webhook-payload.ts';
import { postJson } from './http-webhook.ts';
import type { NotifiedStore } from './notified-store.ts';
import { ensureNotifierDurable } from './notifier-durable.ts';
import { createSleeper } from './pausable-sleep.ts';
import { postToWebhook } from './slack-webhook.ts';

export interface DestinationStats {
  received: number;
  filtered: number;
  duplicates: number;
  posted: number;
  alertsPosted: number;
  retries: number;
  rejected: number;
  readonly deadLettered: number;
}

export interface RunningDestination {
  readonly name: string;
  readonly filterSubject: string;
  readonly stats: DestinationStats;
  /** Stops pulling, lets a post in flight finish (and be acked), gives back what it holds, and waits. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

export interface DestinationRunnerOptions {
  bus: Bus;
  logger: Logger;
  destination: ResolvedDestination;
  store: NotifiedStore;
  retry: RetrySettings;
  timeoutMs: number;
  dashboardUrl?: string | undefined;
  maxAckPending: number;
}

/** Stage name in dead-letter subjects: `notifier` for an invalid alert, `notifier-<destination>` for a refusal. */
export const DEAD_LETTER_STAGE = 'notifier';

/** Most messages the consumer loop hands the intake at once (it buffers twice as many). */
const INTAKE_BATCH = 128;

/**
 * Runs one destination: its own durable consumer (on the common consumer loop) and its own delivery loop, so a
 * destination that is down holds back only its own alerts. Intake filters, drops alerts already posted (key-value
 * bucket), and folds, holding each alert's messages in progress; the delivery loop takes from the queue at the
 * rate limit, posts, retries, and releases (acks) the messages only once Slack accepted.
 */
export async function startDestination(options: DestinationRunnerOptions): Promise<RunningDestination> {
  const { bus, destination: dest, store, retry } = options;
  const logger = options.logger.child({ destination: dest.name });
  const { subject } = filterSubject(dest.filter, bus.subjects);
  const filter = compileFilter(dest.filter);

  let consumer: RunningConsumer | undefined;
  const stats: DestinationStats = {
    received: 0,
    filtered: 0,
    duplicates: 0,
    posted: 0,
    alertsPosted: 0,
    retries: 0,
    rejected: 0,
    /** Invalid alerts and refused ones: the consumer loop sends them to the dead-letter stream. */
    get deadLettered() {
      return consumer?.stats.deadLettered ?? 0;
    },
  };
  /** Messages held by the consumer loop, by alert id (a redelivery while we hold one adds to the list). */
  const byAlert = new Map<string, JsMsg[]>();
  /** The consumer loop's held messages (handed over with every batch, so known before anything is held). */
  let held: HeldMessages | undefined;
  const release = (msg: JsMsg, outcome: Settlement): Promise<void> => (held as HeldMessages).release(msg, outcome);
  const fold = emptyFoldState();
  let queue: QueuedItem[] = [];
  let rate = fullBucket(dest.rateLimit, Date.now());
  const sleeper = createSleeper();

  /** Releases the messages of these alerts with the outcome, and forgets them. */
  const releaseAll = async (ids: readonly string[], outcome: Settlement, onError: (id: string, err: unknown) => void) => {
    const releases: Array<Promise<void>> = [];
    for (const id of ids) {
      for (const msg of byAlert.get(id) ?? []) releases.push(release(msg, outcome).catch((err: unknown) => onError(id, err)));
      byAlert.delete(id);
    }
    await Promise.all(releases);
  };

  /** Acks (waiting for the server to confirm) every message of these alerts. */
  const ackAll = (ids: readonly string[]) =>
    releaseAll(ids, { kind: 'ack' }, (id, err) =>
      logger.warn({ alert: id, err: errorMessage(err) }, 'ack not confirmed; a redelivery will be recognised as posted'),
    );

  const intake = async (msg: JsMsg): Promise<Outcome> => {
    stats.received++;
    let alert: Alert;
    try {
      alert = validators.alert.parse(msg.data);
    } catch (err) {
      if (!(err instanceof InvalidMessageError)) throw err;
      return { kind: 'dead-letter', stage: DEAD_LETTER_STAGE, code: err.code, reason: err.message };
    }
    if (!matchesFilter(filter, alert)) {
      stats.filtered++;
      return { kind: 'ack' };
    }
    const already = byAlert.get(alert.id);
    if (already) {
      already.push(msg);
      return HOLD;
    }
    let posted: boolean;
    try {
      posted = await store.has(dest.name, alert.id);
    } catch (err) {
      logger.warn({ alert: alert.id, err: errorMessage(err) }, 'cannot read the posted-alerts bucket; will retry');
      return { kind: 'nak', delayMs: retry.firstRetryMs };
    }
    if (posted) {
      stats.duplicates++;
      return { kind: 'ack' };
    }
    byAlert.set(alert.id, [msg]);
    const ready = admitAlert(fold, alert, Date.now(), dest.foldWindowMs);
    if (ready) {
      queue.push(ready);
      sleeper.wake();
    }
    return HOLD;
  };

  const intakeBatch = async (messages: readonly JsMsg[], heldMessages: HeldMessages): Promise<Outcome[]> => {
    held = heldMessages;
    const outcomes: Outcome[] = [];
    for (const msg of messages) {
      try {
        outcomes.push(await intake(msg));
      } catch (err) {
        logger.error({ subject: msg.subject, err: errorMessage(err) }, 'cannot take an alert in; it will be redelivered');
        outcomes.push({ kind: 'nak', delayMs: retry.firstRetryMs });
      }
    }
    return outcomes;
  };

  /** The post of a notice to this destination: Block Kit to Slack, or the JSON body (signed) to a generic webhook. */
  const postFor = (notice: Notice): (() => Promise<PostResult>) => {
    if (dest.webhook) {
      const body = toWebhookPayload(notice);
      const secret = dest.webhook.secret;
      return () => postJson(dest.webhookUrl, body, options.timeoutMs, secret);
    }
    const body = toSlackPayload(notice, { dashboardUrl: options.dashboardUrl, template: dest.template });
    return () => postToWebhook(dest.webhookUrl, body, options.timeoutMs);
  };

  /** Posts one notice until Slack accepts or refuses it for good. Returns false if stopped before that. */
  const deliver = async (notice: Notice): Promise<boolean> => {
    const post = postFor(notice);
    let failures = 0;
    while (true) {
      const result = await post();
      if (result.kind !== 'accepted' && !(result.kind === 'http' && result.status === 429)) failures++;
      const step = nextStep(result, failures, retry);
      if (step.kind === 'done') {
        try {
          await store.record(dest.name, notice.alertIds);
        } catch (err) {
          logger.warn({ err: errorMessage(err), alerts: notice.alertIds.length }, 'posted, but cannot record it in the posted-alerts bucket');
        }
        await ackAll(notice.alertIds);
        stats.posted++;
        stats.alertsPosted += notice.alertIds.length;
        return true;
      }
      if (step.kind === 'reject') {
        stats.rejected++;
        logger.error({ reason: step.reason, alerts: notice.alertIds.length }, 'the destination refused the message for good; its alerts go to the dead-letter stream');
        for (const id of notice.alertIds) {
          const msgs = byAlert.get(id) ?? [];
          const first = msgs[0];
          try {
            if (first) await release(first, { kind: 'dead-letter', stage: `${DEAD_LETTER_STAGE}-${dest.name}`, code: 'SINK_FAILED', reason: `alert ${id}: ${step.reason}` });
          } catch (err) {
            if (!(err instanceof AckNotConfirmedError)) {
              logger.error({ alert: id, err: errorMessage(err) }, 'cannot dead-letter; the alert will be redelivered');
              await releaseAll([id], { kind: 'nak', delayMs: retry.maxRetryMs }, () => undefined);
              continue;
            }
            logger.warn({ alert: id, err: errorMessage(err) }, 'ack not confirmed; a redelivery will be recognised as posted');
          }
          msgs.shift();
          await ackAll([id]);
        }
        return true;
      }
      stats.retries++;
      logger.warn(
        { reason: step.reason, delayMs: step.delayMs, attempt: failures, rateLimited: step.rateLimited, alerts: notice.alertIds.length },
        step.rateLimited ? 'Slack rate-limited the destination; waiting for Retry-After' : 'post failed; backing off',
      );
      if (!(await sleeper.sleep(step.delayMs, false))) return false;
    }
  };

  const deliveryLoop = (async () => {
    while (!sleeper.cancelled) {
      const now = Date.now();
      queue.push(...closeDueWindows(fold, now, dest.foldWindowMs));
      if (queue.length === 0) {
        const next = nextWindowClose(fold);
        await sleeper.sleep(next === undefined ? undefined : next - now, true);
        continue;
      }
      const tokens = availableTokens(rate, dest.rateLimit, now);
      const token = takeToken(rate, dest.rateLimit, now);
      rate = token.state;
      if (token.waitMs > 0) {
        await sleeper.sleep(token.waitMs, false);
        continue;
      }
      const { notice, rest } = nextNotice(queue, tokens);
      queue = rest;
      if (!(await deliver(notice))) break;
    }
  })().catch((err: unknown) => logger.error({ err: errorMessage(err) }, 'delivery loop failed'));

  try {
    consumer = await runConsumer({
      bus,
      stream: bus.streams.alerts,
      durable: dest.durable,
      filterSubject: subject,
      stage: DEAD_LETTER_STAGE,
      logger,
      batchSize: INTAKE_BATCH,
      retryDelayMs: retry.firstRetryMs,
      ensure: () => ensureNotifierDurable(bus, logger, { durable: dest.durable, filterSubject: subject, maxAckPending: options.maxAckPending }),
      handler: intakeBatch,
    });
  } catch (err) {
    sleeper.cancel();
    throw err;
  }
  const running = consumer;
  const done = Promise.all([running.done, deliveryLoop]).then(() => undefined);
  logger.info({ durable: dest.durable, filterSubject: subject }, 'destination started');
  return {
    name: dest.name,
    filterSubject: subject,
    stats,
    done,
    async stop() {
      const stopped = running.stop();
      sleeper.cancel();
      await Promise.all([stopped, done]);
      const ids = [...byAlert.keys()];
      let given = 0;
      for (const id of ids) given += byAlert.get(id)?.length ?? 0;
      await releaseAll(ids, { kind: 'nak', delayMs: 0 }, () => undefined);
      if (given > 0 || heldInWindows(fold) > 0) logger.info({ given }, 'stopped; unposted alerts handed back for redelivery');
    },
  };
}
