import type Database from 'better-sqlite3';

/** Bumped when the schema changes; stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 2;

/**
 * Alerts keep an integer `seq` (the rowid) for the FTS index and the tag index, and their id as a unique key. The
 * FTS5 table is contentless (the text is in the alert JSON already) with delete support, so retention can remove
 * rows from it.
 */
export const ALERTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  timestamp TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  level INTEGER NOT NULL,
  rule_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  groups TEXT NOT NULL,
  compliance TEXT NOT NULL,
  description TEXT NOT NULL,
  location TEXT NOT NULL,
  json TEXT NOT NULL,
  indexed_at INTEGER NOT NULL
);
-- Covers time-range counts by level, rule and agent without reading the alert rows.
CREATE INDEX IF NOT EXISTS alerts_time ON alerts(epoch_ms, level, rule_id, agent_id);
CREATE INDEX IF NOT EXISTS alerts_level ON alerts(level, epoch_ms);
CREATE INDEX IF NOT EXISTS alerts_rule ON alerts(rule_id, epoch_ms);
CREATE INDEX IF NOT EXISTS alerts_agent ON alerts(agent_id, epoch_ms);
CREATE INDEX IF NOT EXISTS alerts_agent_name ON alerts(agent_name, epoch_ms);
CREATE TABLE IF NOT EXISTS alert_tags (
  tag TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (tag, epoch_ms, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tag_hours (
  tag TEXT NOT NULL,
  hour INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (tag, hour)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS alerts_fts USING fts5(full_log, description, content='', contentless_delete=1, tokenize='unicode61');
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  ip TEXT,
  first_alert_ms INTEGER NOT NULL,
  last_alert_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fim_state (
  agent_id TEXT NOT NULL,
  path TEXT NOT NULL,
  event TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  alert_id TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (agent_id, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fim_history (
  agent_id TEXT NOT NULL,
  path TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  alert_id TEXT NOT NULL,
  event TEXT NOT NULL,
  changed_attributes TEXT NOT NULL,
  state TEXT NOT NULL,
  before TEXT NOT NULL,
  PRIMARY KEY (agent_id, path, epoch_ms, alert_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fim_history_epoch ON fim_history(epoch_ms);
CREATE TABLE IF NOT EXISTS sca_checks (
  agent_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  check_id TEXT NOT NULL,
  policy TEXT NOT NULL,
  title TEXT NOT NULL,
  result TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  alert_id TEXT NOT NULL,
  check_json TEXT NOT NULL,
  PRIMARY KEY (agent_id, policy_id, check_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sca_summaries (
  agent_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  name TEXT NOT NULL,
  scan_id TEXT NOT NULL,
  passed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  invalid INTEGER NOT NULL,
  total_checks INTEGER NOT NULL,
  score REAL NOT NULL,
  epoch_ms INTEGER NOT NULL,
  alert_id TEXT NOT NULL,
  PRIMARY KEY (agent_id, policy_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS archives (
  seq INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  epoch_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  location TEXT NOT NULL,
  decoder TEXT NOT NULL,
  full_log TEXT NOT NULL,
  json TEXT NOT NULL,
  UNIQUE (agent_id, event_id)
);
CREATE INDEX IF NOT EXISTS archives_epoch ON archives(epoch_ms);
CREATE INDEX IF NOT EXISTS archives_agent ON archives(agent_id, epoch_ms);
`;

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((r) => r.name);
}

/**
 * Creates the schema. A database written by the first version (alerts WITHOUT ROWID, no tags, no FTS) has its
 * alerts table renamed to `alerts_v1`; the caller re-indexes those rows and drops the table.
 */
export function applySchema(db: Database.Database): { legacyTable?: string } {
  let legacyTable: string | undefined;
  const existing = columns(db, 'alerts');
  if (existing.length > 0 && !existing.includes('seq')) {
    db.exec('ALTER TABLE alerts RENAME TO alerts_v1; DROP INDEX IF EXISTS alerts_epoch; DROP INDEX IF EXISTS alerts_time; DROP INDEX IF EXISTS alerts_level; DROP INDEX IF EXISTS alerts_rule; DROP INDEX IF EXISTS alerts_agent;');
    legacyTable = 'alerts_v1';
  } else if (columns(db, 'alerts_v1').length > 0) {
    legacyTable = 'alerts_v1';
  }
  db.exec(ALERTS_SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return legacyTable ? { legacyTable } : {};
}
