import { errorMessage, type Bus, type Logger, type RunningConsumer } from '@vigil/common';
import { backoffDelay } from './core/es-bulk.ts';
import type { IndexerConfig } from './config.ts';
import { SqliteAlertStore, openAlertsReadOnly } from './adapters/sqlite-store.ts';
import { startIndexerConsumer } from './adapters/indexer-consumer.ts';
import { startArchiveConsumer } from './adapters/archive-consumer.ts';
import { startRetention } from './adapters/retention-timer.ts';
import { startIndexBudget } from './adapters/index-budget.ts';
import { storageAlerter, watchStreamBudgets } from './adapters/storage-alerts.ts';
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
 * `config.sqlite.path` must already be resolved (relative to the data directory). It also watches the disk budgets
 * of the index and of the streams (metrics; alerts 201100/201101 as `managerName`, agent 000).
 */
/** The dashboard's rule testing, given by the CLI's composition (the indexer does not import the decoder). */
export type DashboardLogtest = (text: string) => Promise<{ output: string; messages: string; exitCode: number }>;

export async function startIndexer(options: {
  bus: Bus;
  logger: Logger;
  config: IndexerConfig;
  batchSize: number;
  managerName?: string;
  logtest?: DashboardLogtest;
}): Promise<RunningIndexer> {
  const { bus, logger, config } = options;
  const managerName = options.managerName ?? 'vigil';
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
    const streams = watchStreamBudgets({ bus, logger, managerName, intervalMs: bus.config.streams.budgetCheckSeconds * 1000 });
    closers.push(() => streams.stop());
    if (config.sqlite.enabled) {
      const maxBytes = config.retention.maxBytes;
      const store = new SqliteAlertStore(config.sqlite.path, { fts: config.sqlite.fts, synchronous: config.sqlite.synchronous, ...walLimits(maxBytes) });
      closers.push(() => store.close());
      if (store.vacuumedForBudget) logger.info({ service: 'indexer', path: store.path }, 'rewrote the index once (VACUUM) so that it can shrink: auto_vacuum = incremental');
      const budget = startIndexBudget({
        store,
        logger,
        maxBytes,
        intervalMs: config.retention.budgetCheckSeconds * 1000,
        onObservation: storageAlerter({ bus, logger, managerName }),
      });
      closers.push(() => budget.stop());
      consumers.push(await startIndexerConsumer({ bus, logger, store, batchSize: options.batchSize, afterWrite: budget.afterWrite }));
      const retention = startRetention({
        store,
        logger,
        alertsMaxAgeDays: config.retention.alertsMaxAgeDays,
        archivesMaxAgeDays: config.retention.archivesMaxAgeDays,
        intervalMinutes: config.retention.intervalMinutes,
      });
      closers.push(() => retention.stop());
      if (config.archives.enabled) consumers.push(await startArchiveConsumer({ bus, logger, store, batchSize: options.batchSize, afterWrite: budget.afterWrite }));
      info['sqlite'] = config.sqlite.path;
      if (maxBytes > 0) info['sqliteBudget'] = maxBytes;
      info['archives'] = config.archives.enabled;
      if (config.api.enabled) {
        const reader = openAlertsReadOnly(config.sqlite.path, { fts: config.sqlite.fts });
        closers.push(() => reader.close());
        const api: RunningQueryApi = await startConfiguredQueryApi(config, reader, logger, options.logtest);
        closers.push(() => api.stop());
        info['api'] = api.url;
        if (api.dashboardUrl) info['dashboard'] = api.dashboardUrl;
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
 * The WAL's share of a small budget: checkpoints every ~5% of it (at most SQLite's default 1000 pages) and cuts the
 * WAL back to that after a checkpoint, so file and WAL stay within the budget.
 */
function walLimits(maxBytes: number): { walLimitBytes?: number; walAutocheckpointPages?: number } {
  if (maxBytes <= 0) return {};
  const share = Math.floor(maxBytes / 20);
  return { walLimitBytes: Math.min(64 * 1024 * 1024, share), walAutocheckpointPages: Math.max(16, Math.min(1000, Math.floor(share / 4096))) };
}

/** The query API (and the dashboard) over a reader, as `indexer.api` configures it: the indexer's and `vigil api`'s. */
function startConfiguredQueryApi(config: IndexerConfig, reader: Parameters<typeof startQueryApi>[0]['reader'], logger: Logger, logtest?: DashboardLogtest): Promise<RunningQueryApi> {
  return startQueryApi({
    reader,
    logger,
    host: config.api.host,
    port: config.api.port,
    token: config.api.token,
    maxLimit: config.api.maxLimit,
    dashboard: dashboardOptions(config),
    logtest,
  });
}

/**
 * The query API alone, in its own process, over the SQLite file another process indexes into (WAL lets readers and
 * the writer run side by side). Use it when heavy queries must not share an event loop with indexing.
 */
export async function startStandaloneQueryApi(options: { logger: Logger; config: IndexerConfig; logtest?: DashboardLogtest }): Promise<RunningIndexer> {
  const { config, logger } = options;
  const reader = openAlertsReadOnly(config.sqlite.path, { fts: config.sqlite.fts });
  try {
    const api = await startConfiguredQueryApi(config, reader, logger, options.logtest);
    return {
      info: { api: api.url, ...(api.dashboardUrl ? { dashboard: api.dashboardUrl } : {}), sqlite: config.sqlite.path },
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

/** The dashboard's part of indexer.api, or undefined when it is off. */
function dashboardOptions(config: IndexerConfig): { username?: string; password?: string; sessionHours: number } | undefined {
  const d = config.api.dashboard;
  if (!d.enabled) return undefined;
  return { ...(d.username !== undefined ? { username: d.username } : {}), ...(d.password !== undefined ? { password: d.password } : {}), sessionHours: d.sessionHours };
}
