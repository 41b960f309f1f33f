import type { JsMsg } from '@nats-io/jetstream';
import {
  ACK,
  DURABLES,
  InvalidMessageError,
  runConsumer,
  validators,
  type Alert,
  type Bus,
  type Logger,
  type Outcome,
  type RunningConsumer,
} from '@vigil/common';
import type { SqliteAlertStore } from './sqlite-store.ts';

/**
 * Consumes HIDS_ALERTS and writes each batch to SQLite in one transaction; acks only after the commit, so a crash
 * loses nothing and a redelivery changes nothing (inserts are idempotent by alert id).
 */
export async function startIndexerConsumer(options: {
  bus: Bus;
  logger: Logger;
  store: SqliteAlertStore;
  batchSize?: number;
}): Promise<RunningConsumer> {
  const { bus, store } = options;
  const logger = options.logger.child({ service: 'indexer' });
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const outcomes: Outcome[] = new Array(messages.length);
    const alerts: Alert[] = [];
    const index: number[] = [];
    messages.forEach((msg, i) => {
      try {
        alerts.push(validators.alert.parse(msg.data));
        index.push(i);
      } catch (err) {
        const e = err as InvalidMessageError;
        outcomes[i] = { kind: 'dead-letter', code: e instanceof InvalidMessageError ? e.code : 'EVENT_INVALID', reason: e.message };
      }
    });
    try {
      store.write(alerts);
      for (const i of index) outcomes[i] = ACK;
    } catch (error) {
      logger.error({ err: error }, 'SQLite write failed');
      for (const i of index) outcomes[i] = { kind: 'retry', error };
    }
    return outcomes;
  };
  return await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: DURABLES.indexer,
    filterSubject: bus.subjects.alertsAll(),
    stage: 'indexer',
    handler: handle,
    logger,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
}
