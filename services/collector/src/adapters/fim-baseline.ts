import type Database from 'better-sqlite3';
import { openHostDatabase } from './host-database.ts';
import type { FileState } from '../core/fim/file-state.ts';

/**
 * The FIM baseline on the host (SQLite, WAL): the last known state of every monitored file, the text of files
 * whose changes are reported (report_changes), and which directories have completed their first scan.
 */
export class FimBaseline {
  private readonly db: Database.Database;
  private readonly stmt: Record<'get' | 'put' | 'del' | 'under' | 'getText' | 'putText' | 'delText' | 'getMeta' | 'putMeta' | 'count', Database.Statement>;

  constructor(path: string) {
    this.db = openHostDatabase(path, 'FIM baseline', `
        CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, state TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS contents (path TEXT PRIMARY KEY, text TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
    this.stmt = {
      get: this.db.prepare('SELECT state FROM files WHERE path = ?'),
      put: this.db.prepare('INSERT INTO files (path, state) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET state = excluded.state'),
      del: this.db.prepare('DELETE FROM files WHERE path = ?'),
      // Everything strictly under a directory: paths between 'dir/' and 'dir0' ('0' follows '/').
      under: this.db.prepare('SELECT path, state FROM files WHERE path >= ? AND path < ?'),
      getText: this.db.prepare('SELECT text FROM contents WHERE path = ?'),
      putText: this.db.prepare('INSERT INTO contents (path, text) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET text = excluded.text'),
      delText: this.db.prepare('DELETE FROM contents WHERE path = ?'),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?'),
      putMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      count: this.db.prepare('SELECT count(*) AS n FROM files'),
    };
  }

  get(path: string): FileState | undefined {
    const row = this.stmt.get.get(path) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as FileState) : undefined;
  }

  /** Every file known under `dir` (not `dir` itself), by path. */
  under(dir: string): Map<string, FileState> {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const rows = this.stmt.under.all(prefix, end) as Array<{ path: string; state: string }>;
    return new Map(rows.map((r) => [r.path, JSON.parse(r.state) as FileState]));
  }

  /** Applies a set of updates in one transaction: states to store, paths to forget. */
  apply(puts: readonly FileState[], deletes: readonly string[]): void {
    if (puts.length === 0 && deletes.length === 0) return;
    this.db.transaction(() => {
      for (const s of puts) this.stmt.put.run(s.path, JSON.stringify(s));
      for (const p of deletes) {
        this.stmt.del.run(p);
        this.stmt.delText.run(p);
      }
    })();
  }

  text(path: string): string | undefined {
    return (this.stmt.getText.get(path) as { text: string } | undefined)?.text;
  }

  setText(path: string, text: string | undefined): void {
    if (text === undefined) this.stmt.delText.run(path);
    else this.stmt.putText.run(path, text);
  }

  isBaselined(dir: string): boolean {
    return this.stmt.getMeta.get(`baseline:${dir}`) !== undefined;
  }

  markBaselined(dir: string): void {
    this.stmt.putMeta.run(`baseline:${dir}`, new Date().toISOString());
  }

  count(): number {
    return (this.stmt.count.get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
