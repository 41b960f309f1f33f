import type { JsMsg } from '@nats-io/jetstream';
import { ACK, runConsumer, type Alert, type Bus, type Logger, type Outcome, type RunningConsumer } from '@vigil/common';
import { backoffDelay } from '../core/es-bulk.ts';
import { parseAlertBatch } from './message-batch.ts';
import { INDEXER_DURABLES } from './durable-names.ts';
import type { ElasticsearchAlertSink, SinkResult } from './es-sink.ts';

/**
 * Consumes HIDS_ALERTS into Elasticsearch/OpenSearch from its own durable consumer, so a slow or down cluster holds
 * back only this consumer. Bulks by size and time: a full batch (bulkMaxDocs) goes at once; a partial one waits
 * until flushIntervalMs after the previous bulk while the next messages gather in the pull buffer.
 *
 * Acks only what a bulk stored. A document the cluster refuses for good goes to the DLQ with the reason. Alerts the
 * cluster could not take (429, 5xx, unreachable, after the sink's own quick retries) are held: the batch is sent
 * again with a growing back-off, telling JetStream the messages are still being worked on, so an outage pauses this
 * consumer instead of burning deliveries into the DLQ. On stop, whatever is still held is nak-ed for redelivery.
 */
export async function startElasticsearchConsumer(options: {
  bus: Bus;
  logger: Logger;
  sink: ElasticsearchAlertSink;
  bulkMaxDocs: number;
  flushIntervalMs: number;
  /** First hold back-off (doubles, at most 30 s); default 1 s. */
  holdDelayMs?: number;
}): Promise<RunningConsumer> {
  const { bus, sink } = options;
  const logger = options.logger.child({ service: 'indexer', sink: 'elasticsearch' });
  // Tell JetStream "still working" at least twice per ack wait while holding a batch.
  const heartbeatMs = Math.max(50, (bus.config.consumers.ackWaitSeconds * 1000) / 3);
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Waits `ms`, keeping the held messages alive; returns early when the consumer stops. */
  const hold = async (held: readonly JsMsg[], ms: number) => {
    const until = Date.now() + ms;
    while (!stopping && Date.now() < until) {
      for (const m of held) m.working();
      await pause(Math.min(heartbeatMs, until - Date.now()));
    }
  };

  let lastFlush = 0;
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const { outcomes, values: alerts, index } = parseAlertBatch(messages);
    if (alerts.length === 0) return outcomes;
    const wait = lastFlush + options.flushIntervalMs - Date.now();
    if (messages.length < options.bulkMaxDocs && wait > 0) await hold([], wait);
    lastFlush = Date.now();
    const results: SinkResult[] = await sink.index(alerts);
    for (let round = 1; !stopping; round++) {
      const failed = results.flatMap((r, k) => (r.kind === 'failed' ? [k] : []));
      if (failed.length === 0) break;
      const delay = backoffDelay(options.holdDelayMs ?? 1000, round);
      const first = results[failed[0] as number];
      logger.warn({ held: failed.length, round, retryInMs: delay, reason: first?.kind === 'failed' ? first.error.message : '' }, 'elasticsearch did not take the batch; holding it');
      await hold(failed.map((k) => messages[index[k] as number] as JsMsg), delay);
      if (stopping) break;
      const again = await sink.index(failed.map((k) => alerts[k] as Alert));
      failed.forEach((k, j) => (results[k] = again[j] as SinkResult));
    }
    results.forEach((r, k) => {
      const i = index[k] as number;
      if (r.kind === 'ok') outcomes[i] = ACK;
      else if (r.kind === 'rejected') outcomes[i] = { kind: 'dead-letter', code: 'SINK_FAILED', reason: r.reason };
      else outcomes[i] = { kind: 'retry', error: r.error };
    });
    return outcomes;
  };
  const consumer = await runConsumer({
    bus,
    stream: bus.streams.alerts,
    durable: INDEXER_DURABLES.elasticsearch,
    filterSubject: bus.subjects.alertsAll(),
    stage: 'indexer-elasticsearch',
    handler: handle,
    logger,
    batchSize: options.bulkMaxDocs,
  });
  return {
    stats: consumer.stats,
    done: consumer.done,
    async stop() {
      stopping = true;
      wake?.();
      await consumer.stop();
    },
  };
}
