import { ConfigError, type Bus, type Logger, type RunningConsumer } from '@vigil/common';
import type { NotifierConfig } from '../config.ts';
import { resolveDestinations } from '../core/destinations.ts';
import { startDestination, type RunningDestination } from './destination-runner.ts';
import { openNotifiedStore } from './notified-store.ts';

/** The running notifier: one durable consumer and delivery loop per destination. */
export interface RunningNotifier extends RunningConsumer {
  readonly destinations: readonly RunningDestination[];
}

/**
 * Durables of destinations no longer configured keep their position and pending alerts on the server. They are
 * not deleted automatically (another replica may still run the old configuration during a rollout): say so.
 */
async function warnAboutStaleDurables(bus: Bus, logger: Logger, configured: readonly string[]): Promise<void> {
  try {
    for await (const info of bus.jsm.consumers.list(bus.streams.alerts)) {
      const name = info.config.durable_name ?? info.name;
      if (/^notifier(-|$)/.test(name) && !configured.includes(name)) {
        logger.warn({ durable: name, stream: bus.streams.alerts }, 'durable of a destination that is no longer configured; delete it with `nats consumer rm`');
      }
    }
  } catch (err) {
    logger.debug({ err: (err as Error).message }, 'cannot list consumers');
  }
}

/** Whether the configuration names any destination (`slack.webhookUrl` or `destinations`). */
export function hasNotifierDestinations(config: NotifierConfig): boolean {
  return Boolean(config.slack.webhookUrl) || config.destinations.length > 0;
}

/** Most alerts a destination holds unacked (folded, queued behind the rate limit or a retry) before JetStream pauses it. */
export const MAX_HELD_ALERTS = 10_000;

/**
 * Posts alerts to Slack destinations. Each destination has its own durable consumer (filtered by subject where
 * its filter allows), folding, rate limit and retries, so one that stays down does not block the others. A
 * message is acked only after Slack accepted the post that carries it; the alert id is then recorded in a
 * key-value bucket, so a redelivered alert is not posted twice, whichever replica receives it.
 */
export async function startNotifierConsumer(options: {
  bus: Bus;
  logger: Logger;
  config: NotifierConfig;
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<RunningNotifier> {
  const { bus, config } = options;
  const logger = options.logger.child({ service: 'notifier' });
  const destinations = resolveDestinations(config, options.env ?? process.env);
  if (destinations.length === 0) throw new ConfigError('notifier: no destination: set notifier.slack.webhookUrl (SLACK_WEBHOOK_URL) or notifier.destinations');
  const store = await openNotifiedStore(bus, config.dedupeHours);
  await warnAboutStaleDurables(bus, logger, destinations.map((d) => d.durable));
  const running: RunningDestination[] = [];
  try {
    for (const destination of destinations) {
      running.push(
        await startDestination({
          bus,
          logger,
          destination,
          store,
          retry: config.delivery,
          timeoutMs: config.slack.timeoutMs,
          dashboardUrl: config.dashboardUrl,
          maxAckPending: MAX_HELD_ALERTS,
        }),
      );
    }
  } catch (err) {
    await Promise.all(running.map((r) => r.stop()));
    throw err;
  }
  const stats = {
    get batches() {
      return running.reduce((n, r) => n + r.stats.posted, 0);
    },
    get acked() {
      return running.reduce((n, r) => n + r.stats.alertsPosted + r.stats.filtered + r.stats.duplicates, 0);
    },
    get retried() {
      return running.reduce((n, r) => n + r.stats.retries, 0);
    },
    get deadLettered() {
      return running.reduce((n, r) => n + r.stats.deadLettered, 0);
    },
  };
  return {
    destinations: running,
    stats,
    done: Promise.all(running.map((r) => r.done)).then(() => undefined),
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}
