import { describeUse, newBudgetWatch, processMetrics, observeUse, recordStorageMetrics, STORAGE_RULES, type BudgetObservation, type Logger } from '@vigil/common';
import { collectorNotice } from '../core/collector-notice.ts';
import type { SpoolStore } from './spool-store.ts';

/**
 * Measures the spool against its bound (`collector.spool.maxBytes`) every `intervalMs`: the storage gauges on
 * /metrics, and at 80% and 95% one notice (`storage_budget`) in the spool itself, sent when the link allows
 * (rules 201102/201103 turn it into an alert). A collector cannot publish alerts itself.
 */
export function startSpoolBudget(options: { spool: SpoolStore; maxBytes: number; logger: Logger; intervalMs: number; now?: () => number }): { check(): BudgetObservation; stop(): void } {
  const { spool, logger } = options;
  const now = options.now ?? Date.now;
  const watch = newBudgetWatch();
  const check = (): BudgetObservation => {
    const o = observeUse(watch, { store: 'spool', name: spool.path, usedBytes: spool.depth().bytes, budgetBytes: options.maxBytes }, now());
    recordStorageMetrics(processMetrics, o);
    if (o.crossed !== undefined) {
      const level = o.crossed >= STORAGE_RULES.critical.threshold ? 'critical' : 'warning';
      logger.warn({ spool: o.use, growthBytesPerSecond: o.growthBytesPerSecond }, `${describeUse(o)}: the spool fills while NATS is away or the raw stream is full`);
      spool.append([
        collectorNotice('storage_budget', spool.path, `${level}: ${describeUse(o)}; at the budget sources pause`, {
          level,
          percent: Math.floor(o.ratio * 100),
          used_bytes: o.use.usedBytes,
          budget_bytes: o.use.budgetBytes,
          growth_bytes_per_hour: Math.round(o.growthBytesPerSecond * 3600),
        }),
      ]);
    }
    return o;
  };
  const timer = setInterval(() => {
    try {
      check();
    } catch (err) {
      logger.error({ err }, 'cannot measure the spool against its budget');
    }
  }, options.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
