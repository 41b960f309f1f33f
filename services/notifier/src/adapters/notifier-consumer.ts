import type { JsMsg } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import {
  ACK,
  DURABLES,
  InvalidMessageError,
  runConsumer,
  validators,
  VigilError,
  type Bus,
  type Logger,
  type Outcome,
  type RunningConsumer,
} from '@vigil/common';
import type { NotifierConfig } from '../config.ts';
import { toSlackPayload } from '../core/slack-payload.ts';
import { postToWebhook } from './slack-webhook.ts';

export const NOTIFIED_BUCKET = 'hids_notified';

function dedupeKey(alertId: string): string {
  return alertId.replace(/[^A-Za-z0-9_=.-]/g, '_');
}

/**
 * Posts alerts to Slack. The JetStream message is acked only after Slack accepted the post; the alert id is then
 * recorded in a key-value bucket, so a redelivered alert is not posted twice, whichever replica receives it.
 */
export async function startNotifierConsumer(options: {
  bus: Bus;
  logger: Logger;
  config: NotifierConfig;
}): Promise<RunningConsumer> {
  const { bus, config } = options;
  const logger = options.logger.child({ service: 'notifier' });
  const webhookUrl = config.slack.webhookUrl as string;
  const kvm = new Kvm(bus.nc);
  const sent: KV = await kvm.create(NOTIFIED_BUCKET, { ttl: config.dedupeHours * 3600 * 1000, history: 1 });
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const outcomes: Outcome[] = [];
    for (const msg of messages) {
      let alertId = '';
      try {
        const alert = validators.alert.parse(msg.data);
        alertId = alert.id;
        if (alert.rule.level < config.slack.minLevel) {
          outcomes.push(ACK);
          continue;
        }
        if (await sent.get(dedupeKey(alert.id))) {
          outcomes.push(ACK);
          continue;
        }
        await postToWebhook(webhookUrl, toSlackPayload(alert, { dashboardUrl: config.dashboardUrl }), config.slack.timeoutMs);
        await sent.put(dedupeKey(alert.id), String(Date.now()));
        outcomes.push(ACK);
      } catch (err) {
        if (err instanceof InvalidMessageError) outcomes.push({ kind: 'dead-letter', code: err.code, reason: err.message });
        else if (err instanceof VigilError && !err.temporary) {
          outcomes.push({ kind: 'dead-letter', code: err.code, reason: `alert ${alertId}: ${err.message}` });
        } else {
          logger.warn({ alert: alertId, err: (err as Error).message }, 'Slack post failed; will retry');
          outcomes.push({ kind: 'retry', error: err });
        }
      }
    }
    return outcomes;
  };
  return await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: DURABLES.notifier,
    filterSubject: bus.subjects.alertsAll(),
    stage: 'notifier',
    handler: handle,
    logger,
    batchSize: 50,
  });
}
