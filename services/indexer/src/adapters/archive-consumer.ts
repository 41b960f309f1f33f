import type { JsMsg } from '@nats-io/jetstream';
import { runConsumer, validators, type Bus, type Logger, type Outcome, type RunningConsumer } from '@vigil/common';
import type { SqliteAlertStore } from './sqlite-store.ts';
import { INDEXER_DURABLES } from './durable-names.ts';
import { commitBatch, parseBatch } from './message-batch.ts';

/**
 * Archives every decoded event (Wazuh's `logall`) into SQLite from its own durable consumer on the decoded stream,
 * one transaction per batch, acked after the commit; idempotent by agent and event id.
 */
export async function startArchiveConsumer(options: {
  bus: Bus;
  logger: Logger;
  store: SqliteAlertStore;
  batchSize?: number;
}): Promise<RunningConsumer> {
  const { bus, store } = options;
  const logger = options.logger.child({ service: 'indexer', sink: 'archives' });
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> =>
    commitBatch(parseBatch(messages, (data) => validators.decodedEvent.parse(data)), (events) => store.writeArchives(events), 'SQLite archive write', logger);
  return await runConsumer({
    bus,
    stream: bus.streams.decoded,
    durable: INDEXER_DURABLES.archives,
    filterSubject: bus.subjects.decodedAll(),
    stage: 'indexer-archives',
    handler: handle,
    logger,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
}
