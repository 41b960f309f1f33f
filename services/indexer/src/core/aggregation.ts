import { alertWhere, type AlertQuery, type FtsMode, type SqlParams, type SqlStatement } from './alert-query.ts';
import { COMPLIANCE_STANDARDS } from './alert-row.ts';

export const AGGREGATION_FIELDS = ['rule', 'level', 'agent', 'group', 'compliance', 'mitre', 'srcip'] as const;
export type AggregationField = (typeof AGGREGATION_FIELDS)[number];

export interface AggregationQuery {
  by: AggregationField;
  /** Bucket width in ms for counts over time; absent means one count per key over the whole range. */
  interval?: number;
  /** At most this many keys (per bucket when interval is set), the largest counts first. */
  size?: number;
  filters: AlertQuery;
}

/** One row of an aggregation: the key, a label where one exists (rule description, agent name), the count. */
export interface AggregationBucket {
  key: string;
  label?: string;
  /** Bucket start, epoch ms (only with an interval). */
  time?: number;
  count: number;
}

/** Grouped columns; all are in the covering index alerts_time, so counts never read the alert rows. */
const COLUMN_KEYS = {
  rule: 'a.rule_id',
  level: 'CAST(a.level AS TEXT)',
  agent: 'a.agent_id',
  // Not an indexed column: read from each matching alert's JSON, so keep it to a time range (the dashboard does).
  srcip: "json_extract(a.json, '$.data.srcip')",
} as const;

/** Tag prefixes of the tag-backed fields (see alertTags). */
function tagRanges(by: 'group' | 'compliance' | 'mitre'): Array<{ from: string; to: string; strip: number }> {
  if (by === 'group') return [{ from: 'group:', to: 'group;', strip: 'group:'.length }];
  if (by === 'mitre') return [{ from: 'mitre:', to: 'mitre;', strip: 'mitre:'.length }];
  return COMPLIANCE_STANDARDS.map((s) => ({ from: `${s}:`, to: `${s};`, strip: 0 }));
}

function hasNonTimeFilter(q: AlertQuery): boolean {
  return Object.entries(q).some(([k, v]) => v !== undefined && !['since', 'until', 'limit', 'offset', 'order'].includes(k));
}

/**
 * Counts of alerts by rule, level, agent, group, compliance requirement or MITRE technique, optionally per time
 * bucket. The grouped expression comes from a fixed table, never from the request; every value is a parameter.
 */
export function aggregationSql(agg: AggregationQuery, fts: FtsMode = 'list'): SqlStatement {
  const size = agg.size ?? 10;
  const perBucket = agg.interval !== undefined;
  if (agg.by === 'rule' || agg.by === 'level' || agg.by === 'agent' || agg.by === 'srcip') {
    const { where: filtered, params } = alertWhere(agg.filters, fts);
    const where = agg.by === 'srcip' ? `${filtered ? `${filtered} AND` : 'WHERE'} ${COLUMN_KEYS.srcip} IS NOT NULL` : filtered;
    const bucket = perBucket ? '(a.epoch_ms - a.epoch_ms % @interval)' : undefined;
    if (perBucket) params['interval'] = agg.interval as number;
    params['size'] = size;
    const select = [`${COLUMN_KEYS[agg.by]} AS key`, 'NULL AS label', bucket ? `${bucket} AS time` : 'NULL AS time', 'count(*) AS count'];
    // The covering index unless an agent or rule filter has a narrower index of its own.
    const index = agg.filters.agent === undefined && agg.filters.rule === undefined && agg.by !== 'srcip' ? ' INDEXED BY alerts_time' : '';
    const grouped = `SELECT ${select.join(', ')} FROM alerts a${index} ${where} GROUP BY ${bucket ? 'time, ' : ''}key`;
    return { sql: rankWithin(grouped, perBucket), params };
  }
  const params: SqlParams = {};
  const ranges = tagRanges(agg.by);
  const rangeSql = ranges
    .map((r, i) => {
      params[`from${i}`] = r.from;
      params[`to${i}`] = r.to;
      return `(t.tag >= @from${i} AND t.tag < @to${i})`;
    })
    .join(' OR ');
  const conditions = [`(${rangeSql})`];
  if (agg.filters.since !== undefined) {
    conditions.push('t.epoch_ms >= @since');
    params['since'] = agg.filters.since;
  }
  if (agg.filters.until !== undefined) {
    conditions.push('t.epoch_ms < @until');
    params['until'] = agg.filters.until;
  }
  if (hasNonTimeFilter(agg.filters)) {
    const { where, params: p } = alertWhere(agg.filters, fts);
    Object.assign(params, p);
    conditions.push(`t.seq IN (SELECT a.seq FROM alerts a ${where})`);
  }
  const strip = ranges[0]?.strip ?? 0;
  params['strip'] = strip + 1;
  params['size'] = size;
  const bucket = perBucket ? '(t.epoch_ms - t.epoch_ms % @interval)' : undefined;
  if (perBucket) params['interval'] = agg.interval as number;
  const grouped = `SELECT substr(t.tag, @strip) AS key, NULL AS label, ${bucket ? `${bucket}` : 'NULL'} AS time, count(*) AS count FROM alert_tags t WHERE ${conditions.join(' AND ')} GROUP BY ${bucket ? 'time, ' : ''}key`;
  return { sql: rankWithin(grouped, perBucket), params };
}

/** Keeps the `size` largest counts (per time bucket when there are buckets), ordered by time then count. */
function rankWithin(grouped: string, perBucket: boolean): string {
  if (!perBucket) return `${grouped} ORDER BY count DESC, key LIMIT @size`;
  return `SELECT key, label, time, count FROM (SELECT g.*, row_number() OVER (PARTITION BY time ORDER BY count DESC, key) AS r FROM (${grouped}) g) WHERE r <= @size ORDER BY time, count DESC, key`;
}

/** Turns result rows into buckets, dropping the empty label and time columns. */
export function toBuckets(rows: ReadonlyArray<{ key: string | number; label: string | null; time: number | null; count: number }>): AggregationBucket[] {
  return rows.map((r) => ({
    key: String(r.key),
    ...(r.label !== null ? { label: r.label } : {}),
    ...(r.time !== null ? { time: r.time } : {}),
    count: r.count,
  }));
}
