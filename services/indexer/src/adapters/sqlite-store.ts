import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { VigilError, type Alert, type DecodedEvent } from '@vigil/common';
import { alertQuerySql, type AlertQuery } from '../core/alert-query.ts';
import { alertTags, toAlertRow } from '../core/alert-row.ts';
import { toArchiveRow } from '../core/archive-row.ts';
import { fimChangeOf } from '../core/fim-change.ts';
import { scaResultOf } from '../core/sca-result.ts';
import { addToRollup, hourOf, splitRollupKey } from '../core/rollup.ts';
import { applySchema } from './sqlite-schema.ts';
import { ftsText } from '../core/fts-text.ts';
import { SqliteAlertReader } from './sqlite-reader.ts';

export interface SqliteStoreOptions {
  /** Index full_log and the rule description with FTS5 (default true). */
  fts?: boolean;
  /** SQLite `synchronous`: `full` syncs the WAL at every commit (survives power loss), `normal` survives a crash. */
  synchronous?: 'full' | 'normal';
  /** `journal_size_limit`: the WAL is cut back to this after a checkpoint (default 64 MiB). */
  walLimitBytes?: number;
  /** `wal_autocheckpoint` in pages (SQLite's default 1000, about 4 MiB). */
  walAutocheckpointPages?: number;
}

/**
 * Makes freed pages returnable to the file system (`auto_vacuum = INCREMENTAL`, then `PRAGMA incremental_vacuum`
 * shrinks the file). A new file gets it before its first table; a file written before needs one full VACUUM
 * (it needs free space about the size of the file). Returns whether that VACUUM ran.
 */
function useIncrementalVacuum(db: Database.Database, path: string): boolean {
  const INCREMENTAL = 2;
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return false;
  db.pragma('auto_vacuum = INCREMENTAL');
  const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
  if (tables === 0) return false;
  try {
    db.exec('VACUUM');
  } catch (cause) {
    throw new VigilError('SINK_FAILED', `cannot VACUUM ${path} once for incremental vacuum (it needs free space about the size of the file): ${(cause as Error).message}`, {
      cause,
      temporary: true,
    });
  }
  return true;
}

/** What one retention run removed. */
export interface RetentionResult {
  alerts: number;
  archives: number;
  fimHistory: number;
}

const RETENTION_CHUNK = 5000;

function prepareStatements(db: Database.Database) {
  return {
    alert: db.prepare(
      `INSERT OR IGNORE INTO alerts (id, timestamp, epoch_ms, level, rule_id, agent_id, agent_name, groups, compliance, description, location, json, indexed_at)
       VALUES (@id, @timestamp, @epoch_ms, @level, @rule_id, @agent_id, @agent_name, @groups, @compliance, @description, @location, @json, @indexed_at)`,
    ),
    tag: db.prepare('INSERT OR IGNORE INTO alert_tags (tag, epoch_ms, seq) VALUES (?, ?, ?)'),
    tagHour: db.prepare('INSERT INTO tag_hours (tag, hour, count) VALUES (?, ?, ?) ON CONFLICT(tag, hour) DO UPDATE SET count = count + excluded.count'),
    fts: db.prepare('INSERT INTO alerts_fts (rowid, full_log, description) VALUES (?, ?, ?)'),
    agent: db.prepare(
      `INSERT INTO agents (id, name, ip, first_alert_ms, last_alert_ms) VALUES (@id, @name, @ip, @first, @last)
       ON CONFLICT(id) DO UPDATE SET
         name = CASE WHEN excluded.last_alert_ms >= agents.last_alert_ms THEN excluded.name ELSE agents.name END,
         ip = CASE WHEN excluded.last_alert_ms >= agents.last_alert_ms THEN coalesce(excluded.ip, agents.ip) ELSE agents.ip END,
         first_alert_ms = min(agents.first_alert_ms, excluded.first_alert_ms),
         last_alert_ms = max(agents.last_alert_ms, excluded.last_alert_ms)`,
    ),
    fimState: db.prepare(
      `INSERT INTO fim_state (agent_id, path, event, epoch_ms, alert_id, state) VALUES (@agentId, @path, @event, @epochMs, @alertId, @state)
       ON CONFLICT(agent_id, path) DO UPDATE SET event = excluded.event, epoch_ms = excluded.epoch_ms, alert_id = excluded.alert_id, state = excluded.state
       WHERE excluded.epoch_ms > fim_state.epoch_ms OR (excluded.epoch_ms = fim_state.epoch_ms AND excluded.alert_id >= fim_state.alert_id)`,
    ),
    fimHistory: db.prepare(
      `INSERT OR IGNORE INTO fim_history (agent_id, path, epoch_ms, alert_id, event, changed_attributes, state, before)
       VALUES (@agentId, @path, @epochMs, @alertId, @event, @changed, @state, @before)`,
    ),
    scaCheck: db.prepare(
      `INSERT INTO sca_checks (agent_id, policy_id, check_id, policy, title, result, epoch_ms, alert_id, check_json)
       VALUES (@agentId, @policyId, @checkId, @policy, @title, @result, @epochMs, @alertId, @check)
       ON CONFLICT(agent_id, policy_id, check_id) DO UPDATE SET policy = excluded.policy, title = excluded.title, result = excluded.result,
         epoch_ms = excluded.epoch_ms, alert_id = excluded.alert_id, check_json = excluded.check_json
       WHERE excluded.epoch_ms >= sca_checks.epoch_ms`,
    ),
    scaSummary: db.prepare(
      `INSERT INTO sca_summaries (agent_id, policy_id, name, scan_id, passed, failed, invalid, total_checks, score, epoch_ms, alert_id)
       VALUES (@agentId, @policyId, @name, @scanId, @passed, @failed, @invalid, @totalChecks, @score, @epochMs, @alertId)
       ON CONFLICT(agent_id, policy_id) DO UPDATE SET name = excluded.name, scan_id = excluded.scan_id, passed = excluded.passed,
         failed = excluded.failed, invalid = excluded.invalid, total_checks = excluded.total_checks, score = excluded.score,
         epoch_ms = excluded.epoch_ms, alert_id = excluded.alert_id
       WHERE excluded.epoch_ms >= sca_summaries.epoch_ms`,
    ),
    archive: db.prepare(
      `INSERT OR IGNORE INTO archives (agent_id, event_id, epoch_ms, kind, location, decoder, full_log, json)
       VALUES (@agent_id, @event_id, @epoch_ms, @kind, @location, @decoder, @full_log, @json)`,
    ),
  };
}

/**
 * Alerts in SQLite: WAL, one transaction per batch, idempotent by alert id. Beside each alert it keeps the tag index
 * (groups, compliance, MITRE), the FTS5 index, the agent list, the FIM state and history of each path and the latest
 * SCA results of each agent, all in the same transaction, so a batch is written whole or not at all.
 */
export class SqliteAlertStore {
  readonly db: Database.Database;
  readonly fts: boolean;
  readonly path: string;
  /** Set when opening rewrote an older file for incremental vacuum (a one-time VACUUM). */
  readonly vacuumedForBudget: boolean;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly insertBatch: (alerts: readonly Alert[]) => number;
  private readonly insertArchives: (events: readonly DecodedEvent[]) => number;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.fts = options.fts ?? true;
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
    } catch (cause) {
      throw new VigilError('SINK_FAILED', `cannot open SQLite database ${path}: ${(cause as Error).message}`, { cause });
    }
    this.vacuumedForBudget = useIncrementalVacuum(this.db, path);
    this.db.pragma('journal_mode = WAL');
    // The WAL is truncated back to this after a checkpoint, so it does not keep the size of its largest burst.
    this.db.pragma(`journal_size_limit = ${options.walLimitBytes ?? 64 * 1024 * 1024}`);
    if (options.walAutocheckpointPages !== undefined) this.db.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages}`);
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    const { legacyTable } = applySchema(this.db);
    this.statements = prepareStatements(this.db);
    this.insertBatch = this.db.transaction((alerts: readonly Alert[]) => this.insertAlerts(alerts));
    this.insertArchives = this.db.transaction((events: readonly DecodedEvent[]) => {
      let inserted = 0;
      for (const e of events) inserted += this.statements.archive.run(toArchiveRow(e)).changes;
      return inserted;
    });
    if (legacyTable) this.migrateLegacy(legacyTable);
  }

  private insertAlerts(alerts: readonly Alert[]): number {
    const s = this.statements;
    const now = Date.now();
    let inserted = 0;
    const agents = new Map<string, { id: string; name: string; ip: string | null; first: number; last: number }>();
    const hourly = new Map<string, number>();
    for (const alert of alerts) {
      const row = toAlertRow(alert);
      const { full_log, ...columns } = row;
      const result = s.alert.run({ ...columns, indexed_at: now });
      if (result.changes === 0) continue; // already stored: a redelivery changes nothing
      inserted++;
      const seq = result.lastInsertRowid;
      for (const tag of alertTags(alert)) s.tag.run(tag, row.epoch_ms, seq);
      if (this.fts) s.fts.run(seq, full_log === null ? null : ftsText(full_log), row.description);
      addToRollup(hourly, alert);
      const known = agents.get(row.agent_id);
      if (!known || row.epoch_ms >= known.last) {
        agents.set(row.agent_id, { id: row.agent_id, name: row.agent_name, ip: alert.agent.ip ?? null, first: Math.min(known?.first ?? row.epoch_ms, row.epoch_ms), last: row.epoch_ms });
      } else known.first = Math.min(known.first, row.epoch_ms);
      const fim = fimChangeOf(alert);
      if (fim) {
        const state = JSON.stringify(fim.state);
        s.fimState.run({ ...fim, state });
        s.fimHistory.run({ ...fim, changed: fim.changedAttributes.join(','), state, before: JSON.stringify(fim.before) });
      }
      const sca = scaResultOf(alert);
      if (sca?.kind === 'check') s.scaCheck.run({ ...sca, check: JSON.stringify(sca.check) });
      else if (sca?.kind === 'summary') s.scaSummary.run(sca);
    }
    for (const a of agents.values()) s.agent.run(a);
    for (const [key, count] of hourly) {
      const { tag, hour } = splitRollupKey(key);
      s.tagHour.run(tag, hour, count);
    }
    return inserted;
  }

  /** Writes the batch in one transaction; returns how many were new (the rest were already stored). */
  write(alerts: readonly Alert[]): number {
    return this.insertBatch(alerts);
  }

  /** Writes decoded events to the archives table in one transaction, idempotent by agent and event id. */
  writeArchives(events: readonly DecodedEvent[]): number {
    return this.insertArchives(events);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
  }

  query(q: AlertQuery): Alert[] {
    const { sql, params } = alertQuerySql(q);
    return (this.db.prepare(sql).all(params) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as Alert);
  }

  /** A reader over this connection (tests, single-process use); the API opens its own read-only connection. */
  reader(): SqliteAlertReader {
    return new SqliteAlertReader(this.db, { fts: this.fts });
  }

  /**
   * Removes alerts (with their tags, FTS rows and hourly counts) and FIM history older than `alertsBefore`, and
   * archives older than `archivesBefore`, in chunks of a few thousand rows per transaction so writers are not held
   * up long. The alert cutoff is rounded down to a whole hour, so the hourly counts stay exact.
   */
  removeOlderThan(cutoffs: { alertsBefore?: number; archivesBefore?: number }): RetentionResult {
    const result: RetentionResult = { alerts: 0, archives: 0, fimHistory: 0 };
    const db = this.db;
    if (cutoffs.alertsBefore !== undefined) {
      const cutoff = hourOf(cutoffs.alertsBefore);
      const oldest = db.prepare('SELECT seq FROM alerts WHERE epoch_ms < ? LIMIT ?');
      const delAlert = db.prepare('DELETE FROM alerts WHERE seq = ?');
      const delFts = db.prepare('DELETE FROM alerts_fts WHERE rowid = ?');
      const chunk = db.transaction((seqs: number[]) => {
        for (const seq of seqs) {
          delAlert.run(seq);
          if (this.fts) delFts.run(seq);
        }
      });
      for (;;) {
        const seqs = (oldest.all(cutoff, RETENTION_CHUNK) as Array<{ seq: number }>).map((r) => r.seq);
        if (seqs.length === 0) break;
        chunk(seqs);
        result.alerts += seqs.length;
      }
      // Tags: walk the distinct tags through the primary key and cut each one's old range.
      const nextTag = db.prepare('SELECT tag FROM alert_tags WHERE tag > ? ORDER BY tag LIMIT 1').pluck();
      const delTags = db.prepare('DELETE FROM alert_tags WHERE tag = ? AND epoch_ms < ?');
      let tag = nextTag.get('') as string | undefined;
      while (tag !== undefined) {
        delTags.run(tag, cutoff);
        tag = nextTag.get(tag) as string | undefined;
      }
      const nextHourTag = db.prepare('SELECT tag FROM tag_hours WHERE tag > ? ORDER BY tag LIMIT 1').pluck();
      const delHours = db.prepare('DELETE FROM tag_hours WHERE tag = ? AND hour < ?');
      tag = nextHourTag.get('') as string | undefined;
      while (tag !== undefined) {
        delHours.run(tag, cutoff);
        tag = nextHourTag.get(tag) as string | undefined;
      }
      result.fimHistory = db.prepare('DELETE FROM fim_history WHERE epoch_ms < ?').run(cutoff).changes;
    }
    if (cutoffs.archivesBefore !== undefined) {
      const del = db.prepare('DELETE FROM archives WHERE seq IN (SELECT seq FROM archives WHERE epoch_ms < ? LIMIT ?)');
      for (;;) {
        const n = del.run(cutoffs.archivesBefore, RETENTION_CHUNK).changes;
        result.archives += n;
        if (n < RETENTION_CHUNK) break;
      }
    }
    return result;
  }

  /** Re-indexes the alerts of a first-version database into the current tables, then drops the old table. */
  private migrateLegacy(table: string): void {
    const jsons = this.db.prepare(`SELECT json FROM ${table}`).pluck().all() as string[];
    this.db.transaction(() => {
      this.insertAlerts(jsons.map((j) => JSON.parse(j) as Alert));
      this.db.exec(`DROP TABLE ${table}`);
    })();
  }

  close(): void {
    this.db.close();
  }
}

/** Opens an existing alert database read-only, for queries (`vigil alerts`, the query API). */
export function openAlertsReadOnly(path: string, options: { fts?: boolean } = {}): SqliteAlertReader {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return new SqliteAlertReader(db, { fts: options.fts ?? true, owned: true });
}
