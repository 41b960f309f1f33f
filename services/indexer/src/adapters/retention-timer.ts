import type { Logger } from '@vigil/common';
import { retentionCutoff } from '../core/retention.ts';
import type { SqliteAlertStore } from './sqlite-store.ts';

/** Runs retention once now and then every `intervalMinutes`; returns a function that stops it. */
export function startRetention(options: {
  store: SqliteAlertStore;
  logger: Logger;
  alertsMaxAgeDays: number;
  archivesMaxAgeDays: number;
  intervalMinutes: number;
  now?: () => number;
}): { stop(): void; runNow(): void } {
  const logger = options.logger.child({ service: 'indexer', task: 'retention' });
  const now = options.now ?? Date.now;
  const runNow = () => {
    const t = now();
    const alertsBefore = retentionCutoff(t, options.alertsMaxAgeDays);
    const archivesBefore = retentionCutoff(t, options.archivesMaxAgeDays);
    if (alertsBefore === undefined && archivesBefore === undefined) return;
    try {
      const removed = options.store.removeOlderThan({
        ...(alertsBefore !== undefined ? { alertsBefore } : {}),
        ...(archivesBefore !== undefined ? { archivesBefore } : {}),
      });
      if (removed.alerts + removed.archives + removed.fimHistory > 0) logger.info({ removed }, 'retention run removed old rows');
    } catch (err) {
      logger.error({ err }, 'retention run failed; will try again at the next interval');
    }
  };
  runNow();
  const timer = setInterval(runNow, options.intervalMinutes * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
