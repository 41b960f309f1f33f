import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { VigilError } from './errors.ts';
import type { Logger } from './logger.ts';
import { inboxPrefixOf, type NatsConfig } from './nats-config.ts';
import { subjects, type Subjects } from './subjects.ts';
import { ensureStreams, streamNames } from './streams.ts';
import { BatchPublisher } from './batch-publisher.ts';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: Subjects;
  streams: ReturnType<typeof streamNames>;
  config: NatsConfig;
  /** Publishes batches to JetStream with one reply subscription: the fast path for stages. */
  publisher: BatchPublisher;
}

/**
 * Connects to NATS (reconnecting forever), sets up the streams idempotently and returns the handles a service
 * needs. Connection status changes are logged, so a broken link is visible rather than silent. A reader that must
 * not change the streams (`vigil status`) passes `setUpStreams: false`.
 */
export async function connectBus(config: NatsConfig, logger: Logger, name: string, options: { setUpStreams?: boolean } = {}): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: config.url.split(',').map((s) => s.trim()),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Without this the client builds two Error objects (with stack traces) per request, in case it times out:
      // over a quarter of a stage's CPU at JetStream publish rates. Timeouts still raise TimeoutError.
      noAsyncTraces: true,
      inboxPrefix: inboxPrefixOf(config),
      ...(config.user !== undefined ? { user: config.user, pass: config.password } : {}),
      ...(config.token !== undefined ? { token: config.token } : {}),
      ...(config.credsFile !== undefined ? { authenticator: credsAuthenticator(readFileSync(config.credsFile)) } : {}),
      ...(config.tls !== undefined
        ? { tls: { caFile: config.tls.caFile, certFile: config.tls.certFile, keyFile: config.tls.keyFile } }
        : {}),
    });
  } catch (cause) {
    throw new VigilError('NATS_UNAVAILABLE', `cannot connect to NATS at ${config.url}: ${(cause as Error).message}`, {
      cause,
      temporary: true,
    });
  }
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        logger.warn({ status: status.type, server: (status as { server?: string }).server }, 'nats connection status');
      }
    }
  })();
  const jsm = await jetstreamManager(nc);
  if (options.setUpStreams ?? true) await ensureStreams(jsm, config);
  return {
    nc,
    publisher: new BatchPublisher(nc, 10_000, inboxPrefixOf(config)),
    js: jetstream(nc),
    jsm,
    subjects: subjects(config.subjectPrefix),
    streams: streamNames(config.subjectPrefix),
    config,
  };
}
