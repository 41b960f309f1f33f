import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Alert } from '@vigil/common';
import { alertTags } from '../core/alert-row.ts';
import { fimChangeOf } from '../core/fim-change.ts';
import { addToRollup, splitRollupKey } from '../core/rollup.ts';
import type { SqliteAlertStore } from './sqlite-store.ts';

/** Rows removed per transaction when the index is over its budget: small, so indexing is never held up long. */
export const SPACE_CHUNK_ROWS = 200;
/** Free pages returned to the file system per step of incremental vacuum. */
export const VACUUM_STEP_PAGES = 1024;

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The disk space of the SQLite index: how much it uses (the file and its WAL), how much of that is live data, and
 * removal of the oldest rows, alerts (with their tags, hourly counts, FTS rows and FIM history) or archives,
 * whichever is older, a small chunk per transaction, then incremental vacuum so the file really shrinks.
 */
export class IndexSpace {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(private readonly store: SqliteAlertStore) {
    const db = store.db;
    this.db = db;
    this.statements = {
      pageCount: db.prepare('PRAGMA page_count').pluck(),
      freePages: db.prepare('PRAGMA freelist_count').pluck(),
      pageSize: db.prepare('PRAGMA page_size').pluck(),
      oldestAlert: db.prepare('SELECT epoch_ms FROM alerts ORDER BY epoch_ms LIMIT 1').pluck(),
      oldestArchive: db.prepare('SELECT epoch_ms FROM archives ORDER BY epoch_ms LIMIT 1').pluck(),
      alertChunk: db.prepare('SELECT seq, epoch_ms, json FROM alerts ORDER BY epoch_ms LIMIT ?'),
      delAlert: db.prepare('DELETE FROM alerts WHERE seq = ?'),
      delFts: db.prepare('DELETE FROM alerts_fts WHERE rowid = ?'),
      delTag: db.prepare('DELETE FROM alert_tags WHERE tag = ? AND epoch_ms = ? AND seq = ?'),
      lessHour: db.prepare('UPDATE tag_hours SET count = count - ? WHERE tag = ? AND hour = ?'),
      emptyHour: db.prepare('DELETE FROM tag_hours WHERE tag = ? AND hour = ? AND count <= 0'),
      delFim: db.prepare('DELETE FROM fim_history WHERE agent_id = ? AND path = ? AND epoch_ms = ? AND alert_id = ?'),
      delArchives: db.prepare('DELETE FROM archives WHERE seq IN (SELECT seq FROM archives ORDER BY epoch_ms LIMIT ?)'),
    };
  }

  /** Bytes on disk: the database file and its WAL (for `:memory:`, the pages). */
  usedBytes(): number {
    if (this.store.path === ':memory:') return this.pageBytes().total;
    return fileBytes(this.store.path) + fileBytes(`${this.store.path}-wal`);
  }

  /** The file's pages in bytes: all of them, and those holding data (the rest are free, for reuse or vacuum). */
  pageBytes(): { total: number; live: number; free: number } {
    const s = this.statements;
    const size = s.pageSize.get() as number;
    const pages = s.pageCount.get() as number;
    const free = s.freePages.get() as number;
    return { total: pages * size, live: (pages - free) * size, free: free * size };
  }

  /**
   * Removes up to `rows` of the oldest rows, alerts or archives, whichever is older, in one transaction. Hourly
   * counts are decremented for each removed alert, so aggregations stay exact. Returns how many were removed
   * (0 when the index is empty).
   */
  removeOldest(rows = SPACE_CHUNK_ROWS): { alerts: number; archives: number } {
    const s = this.statements;
    const alert = s.oldestAlert.get() as number | undefined;
    const archive = s.oldestArchive.get() as number | undefined;
    if (alert === undefined && archive === undefined) return { alerts: 0, archives: 0 };
    if (alert === undefined || (archive !== undefined && archive < alert)) {
      return { alerts: 0, archives: this.db.transaction(() => s.delArchives.run(rows).changes)() };
    }
    const removed = this.db.transaction(() => {
      const chunk = s.alertChunk.all(rows) as Array<{ seq: number; epoch_ms: number; json: string }>;
      const hourly = new Map<string, number>();
      for (const row of chunk) {
        const a = JSON.parse(row.json) as Alert;
        s.delAlert.run(row.seq);
        if (this.store.fts) s.delFts.run(row.seq);
        for (const tag of alertTags(a)) s.delTag.run(tag, row.epoch_ms, row.seq);
        addToRollup(hourly, a);
        const fim = fimChangeOf(a);
        if (fim) s.delFim.run(fim.agentId, fim.path, fim.epochMs, fim.alertId);
      }
      for (const [key, count] of hourly) {
        const { tag, hour } = splitRollupKey(key);
        s.lessHour.run(count, tag, hour);
        s.emptyHour.run(tag, hour);
      }
      return chunk.length;
    })();
    return { alerts: removed, archives: 0 };
  }

  /** Returns up to `pages` free pages to the file system; returns how many were free before. */
  vacuumStep(pages = VACUUM_STEP_PAGES): number {
    const free = this.statements.freePages.get() as number;
    if (free > 0) this.db.pragma(`incremental_vacuum(${pages})`);
    return free;
  }

  /** Moves the WAL's pages into the database and cuts the WAL back (to journal_size_limit) when no reader holds it. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }
}
