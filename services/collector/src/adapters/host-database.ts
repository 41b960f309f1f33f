import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { VigilError } from '@vigil/common';

/**
 * Opens (creating its folder and tables) one of the collector's SQLite files on the host: WAL, `synchronous =
 * NORMAL`. A failure is SPOOL_UNAVAILABLE, naming the file and what it holds.
 */
export function openHostDatabase(path: string, holds: string, schema: string): Database.Database {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(schema);
    return db;
  } catch (cause) {
    throw new VigilError('SPOOL_UNAVAILABLE', `${path}: cannot open the ${holds}: ${(cause as Error).message}`, { cause });
  }
}
