import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { errorMessage, InvalidMessageError, deadLetterMessage, validators, type Alert, type Bus, type Logger } from '@vigil/common';
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
  deadLettered: number;
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

/**
 * Runs one destination: its own durable consumer and its own delivery loop, so a destination that is down holds
 * back only its own alerts. Intake filters, drops alerts already posted (key-value bucket), and folds; the
 * delivery loop takes from the queue at the rate limit, posts, retries, and acks only once Slack accepted.
 */
export async function startDestination(options: DestinationRunnerOptions): Promise<RunningDestination> {
  const { bus, destination: dest, store, retry } = options;
  const logger = options.logger.child({ destination: dest.name });
  const { subject } = filterSubject(dest.filter, bus.subjects);
  const filter = compileFilter(dest.filter);
  await ensureNotifierDurable(bus, logger, { durable: dest.durable, filterSubject: subject, maxAckPending: options.maxAckPending });
  const consumer = await bus.js.consumers.get(bus.streams.alerts, dest.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 256 });

  const stats: DestinationStats = { received: 0, filtered: 0, duplicates: 0, posted: 0, alertsPosted: 0, retries: 0, rejected: 0, deadLettered: 0 };
  /** Messages not yet acked, by alert id (a redelivery while we hold one adds to the list). */
  const held = new Map<string, JsMsg[]>();
  const fold = emptyFoldState();
  let queue: QueuedItem[] = [];
  let rate = fullBucket(dest.rateLimit, Date.now());
  const sleeper = createSleeper();
  let stopping = false;

  /** Acks (waiting for the server to confirm) every message of these alerts, and forgets them. */
  const ackAll = async (ids: readonly string[]) => {
    const acks: Array<Promise<void>> = [];
    for (const id of ids) {
      for (const msg of held.get(id) ?? []) {
        acks.push(
          msg.ackAck().then(
            () => undefined,
            (err: unknown) => logger.warn({ alert: id, err: errorMessage(err) }, 'ack not confirmed; a redelivery will be recognised as posted'),
          ),
        );
      }
      held.delete(id);
    }
    await Promise.all(acks);
  };

  const deadLetter = async (msg: JsMsg, stage: string, code: string, reason: string) => {
    await deadLetterMessage(bus.js, bus.subjects, msg, { stage, code, reason });
  };

  const intake = async (msg: JsMsg) => {
    stats.received++;
    let alert: Alert;
    try {
      alert = validators.alert.parse(msg.data);
    } catch (err) {
      if (!(err instanceof InvalidMessageError)) throw err;
      try {
        await deadLetter(msg, DEAD_LETTER_STAGE, err.code, err.message);
        stats.deadLettered++;
        msg.ack();
        logger.warn({ subject: msg.subject, seq: msg.seq, code: err.code, reason: err.message }, 'invalid alert sent to the dead-letter stream');
      } catch (dlqErr) {
        logger.error({ subject: msg.subject, err: errorMessage(dlqErr) }, 'cannot dead-letter an invalid alert; it will be redelivered');
        msg.nak(retry.firstRetryMs);
      }
      return;
    }
    if (!matchesFilter(filter, alert)) {
      stats.filtered++;
      msg.ack();
      return;
    }
    const already = held.get(alert.id);
    if (already) {
      already.push(msg);
      return;
    }
    let posted: boolean;
    try {
      posted = await store.has(dest.name, alert.id);
    } catch (err) {
      logger.warn({ alert: alert.id, err: errorMessage(err) }, 'cannot read the posted-alerts bucket; will retry');
      msg.nak(retry.firstRetryMs);
      return;
    }
    if (posted) {
      stats.duplicates++;
      msg.ack();
      return;
    }
    held.set(alert.id, [msg]);
    const ready = admitAlert(fold, alert, Date.now(), dest.foldWindowMs);
    if (ready) {
      queue.push(ready);
      sleeper.wake();
    }
  };

  const pump = (async () => {
    try {
      for await (const msg of messages) {
        if (stopping) {
          msg.nak();
          continue;
        }
        try {
          await intake(msg);
        } catch (err) {
          logger.error({ subject: msg.subject, err: errorMessage(err) }, 'cannot take an alert in; it will be redelivered');
          msg.nak(retry.firstRetryMs);
        }
      }
    } catch (err) {
      logger.error({ err: errorMessage(err) }, 'destination consumer stopped with an error');
    }
  })();

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
          const msgs = held.get(id) ?? [];
          const first = msgs[0];
          try {
            if (first) await deadLetter(first, `${DEAD_LETTER_STAGE}-${dest.name}`, 'SINK_FAILED', `alert ${id}: ${step.reason}`);
            stats.deadLettered++;
            await ackAll([id]);
          } catch (err) {
            logger.error({ alert: id, err: errorMessage(err) }, 'cannot dead-letter; the alert will be redelivered');
            for (const m of msgs) m.nak(retry.maxRetryMs);
            held.delete(id);
          }
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

  // Keep held messages from being redelivered while they wait for their window, the rate limit or a retry.
  const heartbeatMs = Math.max(100, (bus.config.consumers.ackWaitSeconds * 1000) / 3);
  const heartbeat = setInterval(() => {
    for (const msgs of held.values()) for (const m of msgs) m.working();
  }, heartbeatMs);

  const done = Promise.all([pump, deliveryLoop]).then(() => undefined);
  logger.info({ durable: dest.durable, filterSubject: subject }, 'destination started');
  return {
    name: dest.name,
    filterSubject: subject,
    stats,
    done,
    async stop() {
      stopping = true;
      await messages.close();
      sleeper.cancel();
      await done;
      clearInterval(heartbeat);
      let given = 0;
      for (const msgs of held.values()) for (const m of msgs) (m.nak(), given++);
      held.clear();
      if (given > 0 || heldInWindows(fold) > 0) logger.info({ given }, 'stopped; unposted alerts handed back for redelivery');
    },
  };
}
