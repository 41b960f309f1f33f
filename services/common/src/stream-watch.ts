import type { Bus } from './nats-connection.ts';
import type { Logger } from './logger.ts';
import { errorMessage } from './errors.ts';
import { processMetrics, type MetricsRegistry } from './metrics.ts';
import { newBudgetWatch, observeUse, type BudgetObservation, type BudgetWatch } from './storage-budget.ts';
import { recordStorageMetrics } from './storage-metrics.ts';
import { trimConsumed } from './stream-trim.ts';

/** A stream with discard new is trimmed of what its durables consumed once it is above this share of its budget. */
export const TRIM_ABOVE = 0.5;

export interface StreamObservation extends BudgetObservation {
  discard: 'new' | 'old';
}

export interface StreamWatch {
  /** Measures (and trims) now; resolves with the observations. */
  check(): Promise<StreamObservation[]>;
  /** Stops the timer and waits for a check in progress. */
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, measures each stream against its budget (`max_bytes`): records the gauges, calls
 * `onObservation` (budget alerts), and trims the streams listed in `trim` when they refuse new messages at the
 * budget and are above TRIM_ABOVE of it, so they make room as their consumers catch up (a consuming stage trims
 * its input stream: the decoder HIDS_RAW, the rule engine HIDS_DECODED).
 */
export function startStreamWatch(options: {
  bus: Bus;
  logger: Logger;
  streams: readonly string[];
  trim?: readonly string[];
  intervalMs: number;
  onObservation?: (o: StreamObservation) => void | Promise<void>;
  registry?: MetricsRegistry;
  now?: () => number;
}): StreamWatch {
  const { bus, logger } = options;
  const registry = options.registry ?? processMetrics;
  const now = options.now ?? Date.now;
  const watches = new Map<string, BudgetWatch>();
  const trim = new Set(options.trim ?? []);
  let failing = false;
  let running: Promise<StreamObservation[]> | undefined;

  const measure = async (): Promise<StreamObservation[]> => {
    const observations: StreamObservation[] = [];
    for (const name of options.streams) {
      let info = await bus.jsm.streams.info(name);
      const discard = info.config.discard === 'new' ? 'new' : 'old';
      const budget = info.config.max_bytes;
      if (trim.has(name) && discard === 'new' && budget > 0 && info.state.bytes >= budget * TRIM_ABOVE) {
        const purged = await trimConsumed(bus.jsm, name);
        if (purged > 0) {
          logger.debug({ stream: name, purged }, 'removed consumed messages from the stream');
          info = await bus.jsm.streams.info(name);
        }
      }
      const watch = watches.get(name) ?? newBudgetWatch();
      watches.set(name, watch);
      const o: StreamObservation = { ...observeUse(watch, { store: 'stream', name, usedBytes: info.state.bytes, budgetBytes: budget }, now()), discard };
      recordStorageMetrics(registry, o);
      observations.push(o);
      await options.onObservation?.(o);
    }
    return observations;
  };

  const check = (): Promise<StreamObservation[]> => {
    running ??= measure()
      .then((o) => {
        if (failing) logger.info({ streams: options.streams }, 'stream budgets measured again');
        failing = false;
        return o;
      })
      .catch((err: unknown) => {
        if (!failing) logger.warn({ err: errorMessage(err), streams: options.streams }, 'cannot measure the streams against their budgets; will try again');
        failing = true;
        return [];
      })
      .finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  void check();
  return {
    check,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
