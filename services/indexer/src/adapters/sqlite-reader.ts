import type Database from 'better-sqlite3';
import type { Alert } from '@vigil/common';
import { alertCountSql, alertQuerySql, FTS_LIST_LIMIT, ftsProbeSql, type AlertQuery, type FtsMode } from '../core/alert-query.ts';
import { aggregationSql, toBuckets, type AggregationBucket, type AggregationQuery } from '../core/aggregation.ts';
import { mergeBuckets, rollupEligible, rollupSql, splitRange } from '../core/rollup.ts';

export interface AgentSummary {
  id: string;
  name: string;
  ip?: string;
  firstAlert: string;
  lastAlert: string;
}

export interface FimEntry {
  agentId: string;
  path: string;
  event: string;
  time: string;
  alertId: string;
  state: Record<string, unknown>;
}

export interface FimHistoryEntry extends FimEntry {
  changedAttributes: string[];
  before: Record<string, unknown>;
}

export interface ScaReport {
  agentId: string;
  summaries: Array<{ policyId: string; name: string; scanId: string; passed: number; failed: number; invalid: number; totalChecks: number; score: number; time: string }>;
  checks: Array<{ policyId: string; policy: string; checkId: string; title: string; result: string; time: string; alertId: string; check: Record<string, unknown> }>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Read-only queries over the indexer's SQLite file: alert search, one alert, agents, FIM state and history, SCA
 * results and aggregations. Every statement is prepared with bound parameters.
 */
export class SqliteAlertReader {
  readonly fts: boolean;
  private readonly owned: boolean;

  constructor(
    readonly db: Database.Database,
    options: { fts?: boolean; owned?: boolean } = {},
  ) {
    this.fts = options.fts ?? true;
    this.owned = options.owned ?? false;
  }

  /** A page of alerts matching the filters, newest first by default. */
  query(q: AlertQuery): Alert[] {
    const { sql, params } = alertQuerySql(q, this.ftsMode(q));
    return (this.db.prepare(sql).pluck().all(params) as string[]).map((json) => JSON.parse(json) as Alert);
  }

  count(q: AlertQuery): number {
    const { sql, params } = alertCountSql(q, this.ftsMode(q));
    return this.db.prepare(sql).pluck().get(params) as number;
  }

  /** Rare words: list their rows from FTS5; common words: probe FTS5 for each candidate row. */
  private ftsMode(q: AlertQuery): FtsMode {
    if (q.text === undefined) return 'list';
    const probe = ftsProbeSql(q.text);
    if (!probe) return 'list';
    return (this.db.prepare(probe.sql).pluck().get(probe.params) as number) < FTS_LIST_LIMIT ? 'list' : 'probe';
  }

  byId(id: string): Alert | undefined {
    const json = this.db.prepare('SELECT json FROM alerts WHERE id = ?').pluck().get(id) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as Alert);
  }

  agents(): AgentSummary[] {
    const rows = this.db.prepare('SELECT id, name, ip, first_alert_ms, last_alert_ms FROM agents ORDER BY id').all() as Array<{
      id: string;
      name: string;
      ip: string | null;
      first_alert_ms: number;
      last_alert_ms: number;
    }>;
    return rows.map((r) => ({ id: r.id, name: r.name, ...(r.ip ? { ip: r.ip } : {}), firstAlert: iso(r.first_alert_ms), lastAlert: iso(r.last_alert_ms) }));
  }

  /** The last known state of one path on an agent (`deleted` paths included, with their last state). */
  fimState(agentId: string, path: string): FimEntry | undefined {
    const row = this.db.prepare('SELECT * FROM fim_state WHERE agent_id = ? AND path = ?').get(agentId, path) as FimRow | undefined;
    return row ? toFimEntry(row) : undefined;
  }

  /** The last known state of every path of an agent, optionally under a path prefix, in path order. */
  fimStates(agentId: string, options: { prefix?: string; limit: number; offset: number }): FimEntry[] {
    const prefix = options.prefix ?? '';
    // A range on the primary key instead of LIKE, so '%' and '_' in paths mean themselves.
    const rows = this.db
      .prepare('SELECT * FROM fim_state WHERE agent_id = @agent AND path >= @from AND path < @to ORDER BY path LIMIT @limit OFFSET @offset')
      .all({ agent: agentId, from: prefix, to: `${prefix}\u{10ffff}`, limit: options.limit, offset: options.offset }) as FimRow[];
    return rows.map(toFimEntry);
  }

  /** Every recorded change of one path, newest first. */
  fimHistory(agentId: string, path: string, options: { limit: number; offset: number }): FimHistoryEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM fim_history WHERE agent_id = ? AND path = ? ORDER BY epoch_ms DESC, alert_id DESC LIMIT ? OFFSET ?')
      .all(agentId, path, options.limit, options.offset) as Array<FimRow & { changed_attributes: string; before: string }>;
    return rows.map((r) => ({
      ...toFimEntry(r),
      changedAttributes: r.changed_attributes ? r.changed_attributes.split(',') : [],
      before: JSON.parse(r.before) as Record<string, unknown>,
    }));
  }

  /** The latest SCA summary per policy and the latest result of each check on an agent. */
  sca(agentId: string, filter: { policy?: string; result?: string } = {}): ScaReport {
    const params = { agent: agentId, policy: filter.policy ?? null, result: filter.result ?? null };
    const summaries = this.db
      .prepare('SELECT * FROM sca_summaries WHERE agent_id = @agent AND (@policy IS NULL OR policy_id = @policy) ORDER BY policy_id')
      .all({ agent: params.agent, policy: params.policy }) as Array<Record<string, string | number>>;
    const checks = this.db
      .prepare(
        'SELECT * FROM sca_checks WHERE agent_id = @agent AND (@policy IS NULL OR policy_id = @policy) AND (@result IS NULL OR result = @result) ORDER BY policy_id, check_id',
      )
      .all(params) as Array<Record<string, string | number>>;
    return {
      agentId,
      summaries: summaries.map((s) => ({
        policyId: String(s['policy_id']),
        name: String(s['name']),
        scanId: String(s['scan_id']),
        passed: Number(s['passed']),
        failed: Number(s['failed']),
        invalid: Number(s['invalid']),
        totalChecks: Number(s['total_checks']),
        score: Number(s['score']),
        time: iso(Number(s['epoch_ms'])),
      })),
      checks: checks.map((c) => ({
        policyId: String(c['policy_id']),
        policy: String(c['policy']),
        checkId: String(c['check_id']),
        title: String(c['title']),
        result: String(c['result']),
        time: iso(Number(c['epoch_ms'])),
        alertId: String(c['alert_id']),
        check: JSON.parse(String(c['check_json'])) as Record<string, unknown>,
      })),
    };
  }

  /**
   * Counts by a field. With only a time filter, the whole hours come from the hourly rollup and the partial hours at
   * the ends from the alerts (`useRollup: false` forces the alerts for everything, for comparison).
   */
  aggregate(agg: AggregationQuery, options: { useRollup?: boolean } = {}): AggregationBucket[] {
    const size = agg.size ?? 10;
    let buckets: AggregationBucket[];
    if ((options.useRollup ?? true) && rollupEligible(agg)) {
      const { hours, edges } = splitRange(agg.filters.since, agg.filters.until);
      const parts: AggregationBucket[][] = [];
      if (hours) {
        const { sql, params } = rollupSql(agg.by, hours, agg.interval);
        parts.push(toBuckets(this.db.prepare(sql).all(params) as Parameters<typeof toBuckets>[0]));
      }
      for (const edge of edges) parts.push(this.aggregateRows({ ...agg, size: Number.MAX_SAFE_INTEGER, filters: edge }));
      buckets = mergeBuckets(parts, size);
    } else {
      buckets = this.aggregateRows(agg);
    }
    return this.label(agg.by, buckets);
  }

  private aggregateRows(agg: AggregationQuery): AggregationBucket[] {
    const { sql, params } = aggregationSql(agg, this.ftsMode(agg.filters));
    return toBuckets(this.db.prepare(sql).all(params) as Parameters<typeof toBuckets>[0]);
  }

  /** Rule descriptions and agent names for the keys of an aggregation. */
  private label(by: AggregationQuery['by'], buckets: AggregationBucket[]): AggregationBucket[] {
    if (by !== 'rule' && by !== 'agent') return buckets;
    const lookup =
      by === 'rule'
        ? this.db.prepare('SELECT description FROM alerts WHERE rule_id = ? ORDER BY epoch_ms DESC LIMIT 1').pluck()
        : this.db.prepare('SELECT name FROM agents WHERE id = ?').pluck();
    const labels = new Map<string, string | undefined>();
    return buckets.map((b) => {
      if (!labels.has(b.key)) labels.set(b.key, lookup.get(b.key) as string | undefined);
      const label = labels.get(b.key);
      return label === undefined ? b : { key: b.key, label, ...(b.time !== undefined ? { time: b.time } : {}), count: b.count };
    });
  }

  close(): void {
    if (this.owned) this.db.close();
  }
}

interface FimRow {
  agent_id: string;
  path: string;
  event: string;
  epoch_ms: number;
  alert_id: string;
  state: string;
}

function toFimEntry(r: FimRow): FimEntry {
  return { agentId: r.agent_id, path: r.path, event: r.event, time: iso(r.epoch_ms), alertId: r.alert_id, state: JSON.parse(r.state) as Record<string, unknown> };
}
