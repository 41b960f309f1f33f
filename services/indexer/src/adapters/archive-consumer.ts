import type { JsMsg } from '@nats-io/jetstream';
import {
  ACK,
  InvalidMessageError,
  runConsumer,
  validators,
  VigilError,
  type Bus,
  type DecodedEvent,
  type Logger,
  type Outcome,
  type RunningConsumer,
} from '@vigil/common';
import type { SqliteAlertStore } from './sqlite-store.ts';
import { INDEXER_DURABLES } from './durable-names.ts';

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
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const outcomes: Outcome[] = new Array(messages.length);
    const events: DecodedEvent[] = [];
    const index: number[] = [];
    messages.forEach((msg, i) => {
      try {
        events.push(validators.decodedEvent.parse(msg.data));
        index.push(i);
      } catch (err) {
        const e = err as Error;
        outcomes[i] = { kind: 'dead-letter', code: e instanceof InvalidMessageError ? e.code : 'EVENT_INVALID', reason: e.message };
      }
    });
    try {
      store.writeArchives(events);
      for (const i of index) outcomes[i] = ACK;
    } catch (cause) {
      const error = new VigilError('SINK_FAILED', `SQLite archive write failed: ${(cause as Error).message}`, { cause, temporary: true });
      logger.error({ err: error }, 'SQLite archive write failed');
      for (const i of index) outcomes[i] = { kind: 'retry', error };
    }
    return outcomes;
  };
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
