import { Writable } from 'node:stream';
import { connectBus, createLogger, loadConfig, NatsConfig, type Alert, type Bus, type Logger } from '@vigil/common';
import { useTestNats, type TestNats } from '@vigil/common/testing';
import { NotifierConfig } from '../../src/config.ts';
import { startSlackStub, type SlackStub } from './slack-stub.ts';

/** Connects to a test nats-server with short ack waits, so redeliveries show up within a test. */
export async function testBus(url: string, logger: Logger, name = 'notifier-test'): Promise<Bus> {
  const config = loadConfig(NatsConfig, { document: { url, consumers: { ackWaitSeconds: 1, retryDelayMs: 100 } } });
  return await connectBus(config, logger, name);
}

/**
 * A test nats-server for the file, with a Slack stub and a test bus started beside it (handed to `ready`) and
 * closed after it.
 */
export function useSlackAndBus(ready: (slack: SlackStub, bus: Bus) => void): TestNats {
  let slack: SlackStub | undefined;
  let bus: Bus | undefined;
  return useTestNats({
    started: async (server) => {
      slack = await startSlackStub();
      bus = await testBus(server.url, capturedLogger().logger);
      ready(slack, bus);
    },
    stopping: async () => {
      await bus?.nc.drain();
      await slack?.close();
    },
  });
}

/** Messages of the alerts stream a notifier durable holds unacked. */
export async function ackPending(bus: Bus, durable: string): Promise<number> {
  return (await bus.jsm.consumers.info(bus.streams.alerts, durable)).num_ack_pending;
}

/** A notifier configuration from a partial document, defaults filled in, with fast retries. */
export function notifierConfig(document: Record<string, unknown>): NotifierConfig {
  return loadConfig(NotifierConfig, { document: { delivery: { firstRetryMs: 100, maxRetryMs: 400 }, ...document } });
}

/** Publishes an alert on its subject, as the rule engine does. */
export async function publishAlert(bus: Bus, alert: Alert): Promise<void> {
  await bus.js.publish(bus.subjects.alert(alert.rule.level, alert.agent.id, alert.rule.id), JSON.stringify(alert), { msgID: alert.id });
}

/** A logger whose output is kept as text, to check what was (and was not) logged. */
export function capturedLogger(): { logger: Logger; text(): string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => chunks.join('') };
}

/** Numbers of alerts a recorded message accounts for: its lead, the ×N of a fold, the +N folded in. */
export function alertsIn(text: string): number {
  const fold = / ×(\d+):/.exec(text);
  const more = /\(\+(\d+) more\)$/.exec(text);
  return (fold ? Number(fold[1]) : 1) + (more ? Number(more[1]) : 0);
}

/** The alert id shown in full by a message ("alert <id>" in its last context block). */
export function leadId(body: { attachments: Array<{ blocks: unknown[] }> }): string | undefined {
  return /alert (\S+) ·/.exec(JSON.stringify(body.attachments[0]?.blocks.at(-1)))?.[1];
}
