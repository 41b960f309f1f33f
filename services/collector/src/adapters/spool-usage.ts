import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** What a spool holds: unsent events and their bytes (what `collector.spool.maxBytes` bounds). */
export interface SpoolUsage {
  path: string;
  events: number;
  bytes: number;
}

/** The spools (`spool-<agent>.db`) under a collector state directory, read without taking a write lock. */
export function readSpoolUsage(stateDir: string): SpoolUsage[] {
  let names: string[];
  try {
    names = readdirSync(stateDir).filter((n) => /^spool-.+\.db$/.test(n));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const path = join(stateDir, name);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const row = db.prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS b FROM spool').get() as { n: number; b: number };
      return { path, events: row.n, bytes: row.b };
    } finally {
      db.close();
    }
  });
}
