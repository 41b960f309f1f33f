/**
 * A custom alert consumer: a durable JetStream pull consumer on Vigil's alert stream that selects alerts by
 * subject (`hids.alerts.<level>.<agent>.<rule>`), handles each one (here: prints one JSON line) and acks it.
 * Only the NATS client libraries are needed; see docs/consumers.md.
 *
 *   NATS_URL=nats://127.0.0.1:4222 node --import tsx examples/alert-consumer/consumer.ts \
 *     --durable my-ssh-alerts --filter 'hids.alerts.*.*.5710'
 *
 * Options: --durable NAME (required), --filter SUBJECT (default hids.alerts.>), --stream NAME (default
 * HIDS_ALERTS), --from all|new (where a new durable starts; default all), --idle-exit-ms N (exit after N ms
 * without a message; default: run until SIGINT/SIGTERM).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';

/** The fields of a Vigil alert this example uses (the whole shape is docs/alert.schema.json). */
export interface AlertSummary {
  id: string;
  timestamp: string;
  rule: { id: string; level: number; description: string; groups: string[] };
  agent: { id: string; name: string };
  location: string;
}

export interface ConsumerOptions {
  servers: string;
  stream: string;
  durable: string;
  filterSubject: string;
  from: 'all' | 'new';
  idleExitMs?: number | undefined;
  onAlert: (alert: AlertSummary, subject: string) => Promise<void> | void;
}

/** Creates the durable if it does not exist yet; with a different filter subject it is updated. */
async function ensureDurable(nc: NatsConnection, o: ConsumerOptions): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    const info = await jsm.consumers.info(o.stream, o.durable);
    if (info.config.filter_subject !== o.filterSubject) {
      await jsm.consumers.update(o.stream, o.durable, { filter_subject: o.filterSubject });
    }
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) throw err;
    await jsm.consumers.add(o.stream, {
      durable_name: o.durable,
      filter_subject: o.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: o.from === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      ack_wait: 30_000_000_000, // 30 s in nanoseconds: unacked alerts come back after this
      max_deliver: 10,
    });
  }
}

/** Consumes until `signal` aborts (or the consumer is idle for idleExitMs). Acks each alert once handled. */
export async function consumeAlerts(o: ConsumerOptions, signal?: AbortSignal): Promise<number> {
  const nc = await connect({ servers: o.servers.split(','), name: `example-${o.durable}` });
  let handled = 0;
  try {
    await ensureDurable(nc, o);
    const consumer = await jetstream(nc).consumers.get(o.stream, o.durable);
    const messages = await consumer.consume({ max_messages: 100 });
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (o.idleExitMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => void messages.close(), o.idleExitMs);
    };
    signal?.addEventListener('abort', () => void messages.close(), { once: true });
    armIdle();
    for await (const msg of messages) {
      armIdle();
      await handle(msg, o);
      handled++;
    }
    clearTimeout(idle);
  } finally {
    await nc.drain();
  }
  return handled;
}

async function handle(msg: JsMsg, o: ConsumerOptions): Promise<void> {
  let alert: AlertSummary;
  try {
    alert = msg.json<AlertSummary>();
  } catch {
    // Not JSON: no retry will fix it. A real consumer might log it; terminate stops its redelivery.
    msg.term('not JSON');
    return;
  }
  try {
    await o.onAlert(alert, msg.subject);
    msg.ack();
  } catch (err) {
    // Handling failed (a sink down?): ask for a redelivery in 5 s.
    process.stderr.write(`alert ${alert.id}: ${(err as Error).message}\n`);
    msg.nak(5000);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      durable: { type: 'string' },
      filter: { type: 'string', default: 'hids.alerts.>' },
      stream: { type: 'string', default: 'HIDS_ALERTS' },
      from: { type: 'string', default: 'all' },
      'idle-exit-ms': { type: 'string' },
    },
  });
  if (!values.durable) throw new Error('--durable NAME is required');
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  await consumeAlerts(
    {
      servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      stream: values.stream,
      durable: values.durable,
      filterSubject: values.filter,
      from: values.from === 'new' ? 'new' : 'all',
      idleExitMs: values['idle-exit-ms'] !== undefined ? Number(values['idle-exit-ms']) : undefined,
      onAlert: (alert, subject) => {
        process.stdout.write(`${JSON.stringify({ subject, id: alert.id, level: alert.rule.level, rule: alert.rule.id, agent: alert.agent.name })}\n`);
      },
    },
    abort.signal,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
