import type { JsMsg } from '@nats-io/jetstream';
import { MessageHold, runConsumer, ThrottledLog, type Bus, type Logger, type Outcome, type RunningConsumer } from '@vigil/common';
import type { SqliteAlertStore } from './sqlite-store.ts';
import { parseAlertBatch } from './message-batch.ts';
import { commitHoldingOnFullDisk } from './disk-full.ts';
import { INDEXER_DURABLES } from './durable-names.ts';

/**
 * Consumes HIDS_ALERTS and writes each batch to SQLite in one transaction; acks only after the commit, so a crash
 * loses nothing and a redelivery changes nothing (inserts are idempotent by alert id). On a full disk the batch is
 * held and written again until space returns (commitHoldingOnFullDisk); `afterWrite` runs after each commit (the
 * index's disk budget).
 */
export async function startIndexerConsumer(options: {
  bus: Bus;
  logger: Logger;
  store: SqliteAlertStore;
  batchSize?: number;
  afterWrite?: () => void;
  /** First hold delay on a full disk (doubles, at most 30 s); default 1 s. */
  holdDelayMs?: number;
}): Promise<RunningConsumer> {
  const { bus, store } = options;
  const logger = options.logger.child({ service: 'indexer', sink: 'sqlite' });
  const hold = new MessageHold(bus.config.consumers.ackWaitSeconds);
  const fullLog = new ThrottledLog();
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const outcomes = await commitHoldingOnFullDisk({
      batch: parseAlertBatch(messages),
      messages,
      write: (alerts) => store.write(alerts),
      what: 'SQLite write',
      path: store.path,
      logger,
      hold,
      fullLog,
      ...(options.holdDelayMs !== undefined ? { firstDelayMs: options.holdDelayMs } : {}),
    });
    options.afterWrite?.();
    return outcomes;
  };
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: INDEXER_DURABLES.sqlite,
    filterSubject: bus.subjects.alertsAll(),
    stage: 'indexer',
    handler: handle,
    logger,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
  return {
    stats: consumer.stats,
    done: consumer.done,
    async stop() {
      hold.stop();
      await consumer.stop();
    },
  };
}
