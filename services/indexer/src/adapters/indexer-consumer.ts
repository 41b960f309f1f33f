import type { JsMsg } from '@nats-io/jetstream';
import { runConsumer, type Bus, type Logger, type Outcome, type RunningConsumer } from '@vigil/common';
import type { SqliteAlertStore } from './sqlite-store.ts';
import { commitBatch, parseAlertBatch } from './message-batch.ts';
import { INDEXER_DURABLES } from './durable-names.ts';

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
  const logger = options.logger.child({ service: 'indexer', sink: 'sqlite' });
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> =>
    commitBatch(parseAlertBatch(messages), (alerts) => store.write(alerts), 'SQLite write', logger);
  return await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: INDEXER_DURABLES.sqlite,
    filterSubject: bus.subjects.alertsAll(),
    stage: 'indexer',
    handler: handle,
    logger,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
}
