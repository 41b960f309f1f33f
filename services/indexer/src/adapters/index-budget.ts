import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  describeUse,
  errorMessage,
  processMetrics,
  newBudgetWatch,
  observeUse,
  recordStorageMetrics,
  type BudgetObservation,
  type Logger,
  type MetricsRegistry,
} from '@vigil/common';
import { IndexSpace } from './sqlite-space.ts';
import type { SqliteAlertStore } from './sqlite-store.ts';

/** Above this share of its budget (file and WAL) the index removes its oldest rows… */
export const INDEX_HIGH_WATER = 0.9;
/** …until its live data is under this share. */
export const INDEX_LOW_WATER = 0.8;
/** Free pages beyond this share of the file are returned to the file system (incremental vacuum). */
const FREE_SHARE_TO_VACUUM = 0.1;

export interface IndexBudget {
  /** Cheap check after a committed batch: starts a clean-up in the background when over the high-water mark. */
  afterWrite(): void;
  /** Enforces the budget now (removal, vacuum) and measures; resolves with the observation. */
  check(): Promise<BudgetObservation>;
  /** Stops the timer and waits for a clean-up in progress. */
  stop(): Promise<void>;
}

/** Keeps the SQLite index within its disk budget (0 = none, then it is only measured). */
export function startIndexBudget(options: {
  store: SqliteAlertStore;
  logger: Logger;
  maxBytes: number;
  intervalMs: number;
  onObservation?: (o: BudgetObservation) => void | Promise<void>;
  registry?: MetricsRegistry;
  now?: () => number;
}): IndexBudget {
  const { store, maxBytes } = options;
  const logger = options.logger.child({ service: 'indexer', task: 'budget' });
  const registry = options.registry ?? processMetrics;
  const now = options.now ?? Date.now;
  const space = new IndexSpace(store);
  const watch = newBudgetWatch();
  let running: Promise<BudgetObservation> | undefined;
  let stopped = false;

  const enforce = async (): Promise<void> => {
    if (maxBytes > 0 && space.usedBytes() > maxBytes * INDEX_HIGH_WATER) {
      const removed = { alerts: 0, archives: 0 };
      while (!stopped && space.pageBytes().live > maxBytes * INDEX_LOW_WATER) {
        const r = space.removeOldest();
        if (r.alerts + r.archives === 0) break;
        removed.alerts += r.alerts;
        removed.archives += r.archives;
        await yieldToLoop(); // let indexing and queries run between chunks
      }
      if (removed.alerts + removed.archives > 0) logger.info({ removed, maxBytes }, 'index over its budget: removed the oldest rows');
    }
    const pages = space.pageBytes();
    if (pages.free > 0 && pages.free >= pages.total * FREE_SHARE_TO_VACUUM) {
      space.checkpoint();
      while (!stopped && space.vacuumStep() > 0) await yieldToLoop();
      space.checkpoint();
    }
  };

  const check = (): Promise<BudgetObservation> => {
    running ??= enforce()
      .catch((err: unknown) => logger.error({ err: errorMessage(err) }, 'index budget clean-up failed; will try again'))
      .then(async () => {
        const o = observeUse(watch, { store: 'index', name: store.path, usedBytes: space.usedBytes(), budgetBytes: maxBytes }, now());
        recordStorageMetrics(registry, o);
        if (o.crossed !== undefined) logger.warn({ use: o.use, growthBytesPerSecond: o.growthBytesPerSecond }, describeUse(o));
        try {
          await options.onObservation?.(o);
        } catch (err) {
          logger.error({ err: errorMessage(err) }, 'index budget observer failed');
        }
        return o;
      })
      .finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  void check();
  return {
    afterWrite() {
      if (!running && maxBytes > 0 && space.usedBytes() > maxBytes * INDEX_HIGH_WATER) void check();
    },
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
