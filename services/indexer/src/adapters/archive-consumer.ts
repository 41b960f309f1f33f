import type { JsMsg } from '@nats-io/jetstream';
import { MessageHold, runConsumer, ThrottledLog, validators, type Bus, type Logger, type Outcome, type RunningConsumer } from '@vigil/common';
import type { SqliteAlertStore } from './sqlite-store.ts';
import { INDEXER_DURABLES } from './durable-names.ts';
import { parseBatch } from './message-batch.ts';
import { commitHoldingOnFullDisk } from './disk-full.ts';

/**
 * Archives every decoded event (Wazuh's `logall`) into SQLite from its own durable consumer on the decoded stream,
 * one transaction per batch, acked after the commit; idempotent by agent and event id. On a full disk the batch is
 * held until space returns, as for alerts.
 */
export async function startArchiveConsumer(options: {
  bus: Bus;
  logger: Logger;
  store: SqliteAlertStore;
  batchSize?: number;
  afterWrite?: () => void;
}): Promise<RunningConsumer> {
  const { bus, store } = options;
  const logger = options.logger.child({ service: 'indexer', sink: 'archives' });
  const hold = new MessageHold(bus.config.consumers.ackWaitSeconds);
  const fullLog = new ThrottledLog();
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const outcomes = await commitHoldingOnFullDisk({
      batch: parseBatch(messages, (data) => validators.decodedEvent.parse(data)),
      messages,
      write: (events) => store.writeArchives(events),
      what: 'SQLite archive write',
      path: store.path,
      logger,
      hold,
      fullLog,
    });
    options.afterWrite?.();
    return outcomes;
  };
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.decoded,
    durable: INDEXER_DURABLES.archives,
    filterSubject: bus.subjects.decodedAll(),
    stage: 'indexer-archives',
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
