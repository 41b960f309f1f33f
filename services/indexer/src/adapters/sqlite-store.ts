import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '@vigil/common';
import { alertQuerySql, toAlertRow, type AlertQuery } from '../core/alert-row.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY,
  timestamp TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  level INTEGER NOT NULL,
  rule_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  groups TEXT NOT NULL,
  description TEXT NOT NULL,
  location TEXT NOT NULL,
  json TEXT NOT NULL,
  indexed_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_epoch ON alerts(epoch_ms);
CREATE INDEX IF NOT EXISTS alerts_level ON alerts(level, epoch_ms);
CREATE INDEX IF NOT EXISTS alerts_rule ON alerts(rule_id, epoch_ms);
CREATE INDEX IF NOT EXISTS alerts_agent ON alerts(agent_id, epoch_ms);
`;

/** Alerts in SQLite: WAL, one transaction per batch, idempotent by alert id. */
export class SqliteAlertStore {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertBatch: (alerts: readonly Alert[]) => number;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      `INSERT OR IGNORE INTO alerts (id, timestamp, epoch_ms, level, rule_id, agent_id, agent_name, groups, description, location, json, indexed_at)
       VALUES (@id, @timestamp, @epoch_ms, @level, @rule_id, @agent_id, @agent_name, @groups, @description, @location, @json, @indexed_at)`,
    );
    this.insertBatch = this.db.transaction((alerts: readonly Alert[]) => {
      const now = Date.now();
      let inserted = 0;
      for (const alert of alerts) inserted += this.insert.run({ ...toAlertRow(alert), indexed_at: now }).changes;
      return inserted;
    });
  }

  /** Writes the batch in one transaction; returns how many were new (the rest were already stored). */
  write(alerts: readonly Alert[]): number {
    return this.insertBatch(alerts);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
  }

  query(q: AlertQuery): Alert[] {
    const { sql, params } = alertQuerySql(q);
    return (this.db.prepare(sql).all(params) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as Alert);
  }

  close(): void {
    this.db.close();
  }
}

/** Opens an existing alert database read-only, for queries (`vigil alerts`). */
export function openAlertsReadOnly(path: string): { query(q: AlertQuery): Alert[]; close(): void } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    query(q) {
      const { sql, params } = alertQuerySql(q);
      return (db.prepare(sql).all(params) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as Alert);
    },
    close: () => db.close(),
  };
}
