import { errorMessage, type Bus, type Logger, type RunningConsumer } from '@vigil/common';
import { backoffDelay } from './core/es-bulk.ts';
import type { IndexerConfig } from './config.ts';
import { SqliteAlertStore, openAlertsReadOnly } from './adapters/sqlite-store.ts';
import { startIndexerConsumer } from './adapters/indexer-consumer.ts';
import { startArchiveConsumer } from './adapters/archive-consumer.ts';
import { startRetention } from './adapters/retention-timer.ts';
import { createElasticsearchClient } from './adapters/es-client.ts';
import { ElasticsearchAlertSink } from './adapters/es-sink.ts';
import { startElasticsearchConsumer } from './adapters/es-consumer.ts';
import { startQueryApi, type RunningQueryApi } from './adapters/query-api.ts';

export interface RunningIndexer {
  stop(): Promise<void>;
  /** For the start-up banner: which sinks run, where. Never holds secrets. */
  info: Record<string, unknown>;
}

/**
 * Composition of the indexer: the SQLite sink with its retention, the optional archives consumer, the optional
 * Elasticsearch/OpenSearch sink (its own durable consumer) and the optional query API, each from the config.
 * `config.sqlite.path` must already be resolved (relative to the data directory).
 */
export async function startIndexer(options: { bus: Bus; logger: Logger; config: IndexerConfig; batchSize: number }): Promise<RunningIndexer> {
  const { bus, logger, config } = options;
  const consumers: RunningConsumer[] = [];
  const closers: Array<() => Promise<void> | void> = [];
  const info: Record<string, unknown> = {};
  const beforeStop: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const b of beforeStop) await b();
    await Promise.all(consumers.map((c) => c.stop()));
    for (const close of closers.reverse()) await close();
  };
  try {
    if (config.sqlite.enabled) {
      const store = new SqliteAlertStore(config.sqlite.path, { fts: config.sqlite.fts, synchronous: config.sqlite.synchronous });
      closers.push(() => store.close());
      consumers.push(await startIndexerConsumer({ bus, logger, store, batchSize: options.batchSize }));
      const retention = startRetention({
        store,
        logger,
        alertsMaxAgeDays: config.retention.alertsMaxAgeDays,
        archivesMaxAgeDays: config.retention.archivesMaxAgeDays,
        intervalMinutes: config.retention.intervalMinutes,
      });
      closers.push(() => retention.stop());
      if (config.archives.enabled) consumers.push(await startArchiveConsumer({ bus, logger, store, batchSize: options.batchSize }));
      info['sqlite'] = config.sqlite.path;
      info['archives'] = config.archives.enabled;
      if (config.api.enabled) {
        const reader = openAlertsReadOnly(config.sqlite.path, { fts: config.sqlite.fts });
        closers.push(() => reader.close());
        const api: RunningQueryApi = await startQueryApi({
          reader,
          logger,
          host: config.api.host,
          port: config.api.port,
          token: config.api.token,
          maxLimit: config.api.maxLimit,
        });
        closers.push(() => api.stop());
        info['api'] = api.url;
      }
    } else if (config.api.enabled) {
      logger.warn({ service: 'indexer' }, 'indexer.api.enabled is set but indexer.sqlite.enabled is not: the query API reads SQLite, so it is not started');
    }
    if (config.elasticsearch.enabled) {
      const es = config.elasticsearch;
      const client = createElasticsearchClient(es);
      closers.push(() => client.close());
      const sink = new ElasticsearchAlertSink({
        client,
        logger,
        indexPrefix: es.indexPrefix,
        bulkMaxDocs: es.bulkMaxDocs,
        bulkMaxBytes: es.bulkMaxBytes,
        maxRetries: es.maxRetries,
        retryDelayMs: es.retryDelayMs,
        shards: es.shards,
        replicas: es.replicas,
      });
      // The template must be in place before the first daily index is created, but a cluster that is down at start
      // must not keep the SQLite side from running: install it in the background, with back-off, then consume.
      let stopped = false;
      let wake: (() => void) | undefined;
      const ready = (async () => {
        let templateInstalled = !es.installTemplate;
        for (let attempt = 1; !stopped; attempt++) {
          try {
            if (!templateInstalled) {
              await sink.installTemplate();
              templateInstalled = true;
            }
            consumers.push(
              await startElasticsearchConsumer({ bus, logger, sink, bulkMaxDocs: es.bulkMaxDocs, flushIntervalMs: es.flushIntervalMs, holdDelayMs: Math.max(es.retryDelayMs, 100) }),
            );
            return;
          } catch (err) {
            const delay = backoffDelay(Math.max(es.retryDelayMs, 100), attempt);
            const what = templateInstalled ? 'elasticsearch consumer not started yet' : 'index template not installed yet';
            logger.warn({ service: 'indexer', sink: 'elasticsearch', err: errorMessage(err), retryInMs: delay }, `${what}; alerts wait in the stream`);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, delay);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
        }
      })();
      beforeStop.push(async () => {
        stopped = true;
        wake?.();
        await ready.catch(() => undefined);
      });
      info['elasticsearch'] = { nodes: es.url.split(',').map((u) => u.trim().replace(/\/\/[^@/]*@/, '//')), indexPrefix: es.indexPrefix, flavour: es.flavour };
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { stop, info };
}

/**
 * The query API alone, in its own process, over the SQLite file another process indexes into (WAL lets readers and
 * the writer run side by side). Use it when heavy queries must not share an event loop with indexing.
 */
export async function startStandaloneQueryApi(options: { logger: Logger; config: IndexerConfig }): Promise<RunningIndexer> {
  const { config, logger } = options;
  const reader = openAlertsReadOnly(config.sqlite.path, { fts: config.sqlite.fts });
  try {
    const api = await startQueryApi({ reader, logger, host: config.api.host, port: config.api.port, token: config.api.token, maxLimit: config.api.maxLimit });
    return {
      info: { api: api.url, sqlite: config.sqlite.path },
      stop: async () => {
        await api.stop();
        reader.close();
      },
    };
  } catch (err) {
    reader.close();
    throw err;
  }
}
