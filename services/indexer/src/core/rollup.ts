import type { Alert } from '@vigil/common';
import type { AggregationBucket, AggregationField, AggregationQuery } from './aggregation.ts';
import { alertTags, COMPLIANCE_STANDARDS, parseAlertTime } from './alert-row.ts';
import type { SqlParams, SqlStatement } from './alert-query.ts';

/**
 * Hourly counts per tag (`group:`, compliance, `mitre:`, plus `level:`, `rule:`, `agent:`), kept beside the alerts so
 * that dashboard counts over days read a few thousand rollup rows instead of millions of alerts. Aggregations whose
 * only filter is a time range use them for the whole hours of the range, and the alerts for the partial hours at
 * its ends, so the answer is exact.
 */
export const HOUR_MS = 3_600_000;

export function hourOf(epochMs: number): number {
  return epochMs - (((epochMs % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

export function rollupTags(alert: Alert): string[] {
  return [...alertTags(alert), `level:${alert.rule.level}`, `rule:${alert.rule.id}`, `agent:${alert.agent.id}`];
}

/** Adds the alert's tags to per-(tag, hour) counts. */
export function addToRollup(counts: Map<string, number>, alert: Alert): void {
  const hour = hourOf(parseAlertTime(alert.timestamp));
  for (const tag of rollupTags(alert)) {
    const key = `${tag}\u0000${hour}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

export function splitRollupKey(key: string): { tag: string; hour: number } {
  const i = key.lastIndexOf('\u0000');
  return { tag: key.slice(0, i), hour: Number(key.slice(i + 1)) };
}

/** Can this aggregation be answered from the rollup (only a time filter; buckets of whole hours)? */
export function rollupEligible(agg: AggregationQuery): boolean {
  const { since, until, limit, offset, order, ...rest } = agg.filters;
  void since, until, limit, offset, order;
  if (Object.values(rest).some((v) => v !== undefined)) return false;
  if (agg.by === 'srcip') return false; // not a rollup tag
  return agg.interval === undefined || agg.interval % HOUR_MS === 0;
}

/** The whole hours of [since, until) for the rollup, and the partial hours at the ends for the alerts. */
export function splitRange(since: number | undefined, until: number | undefined): {
  hours?: { from?: number; to?: number };
  edges: Array<{ since?: number; until?: number }>;
} {
  const h1 = since === undefined ? undefined : Math.ceil(since / HOUR_MS) * HOUR_MS;
  const h2 = until === undefined ? undefined : Math.floor(until / HOUR_MS) * HOUR_MS;
  if (h1 !== undefined && h2 !== undefined && h1 >= h2) {
    return { edges: [{ ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) }] };
  }
  const edges: Array<{ since?: number; until?: number }> = [];
  if (since !== undefined && h1 !== undefined && since < h1) edges.push({ since, until: h1 });
  if (until !== undefined && h2 !== undefined && h2 < until) edges.push({ since: h2, until });
  return { hours: { ...(h1 !== undefined ? { from: h1 } : {}), ...(h2 !== undefined ? { to: h2 } : {}) }, edges };
}

function tagRanges(by: AggregationField): Array<{ from: string; to: string }> {
  if (by === 'compliance') return COMPLIANCE_STANDARDS.map((s) => ({ from: `${s}:`, to: `${s};` }));
  return [{ from: `${by}:`, to: `${by};` }];
}

/** Counts from the rollup over whole hours, per key (and per bucket with an interval), unranked. */
export function rollupSql(by: AggregationField, hours: { from?: number; to?: number }, interval?: number): SqlStatement {
  const params: SqlParams = {};
  const ranges = tagRanges(by)
    .map((r, i) => {
      params[`from${i}`] = r.from;
      params[`to${i}`] = r.to;
      return `(tag >= @from${i} AND tag < @to${i})`;
    })
    .join(' OR ');
  const where = [`(${ranges})`];
  if (hours.from !== undefined) {
    where.push('hour >= @hourFrom');
    params['hourFrom'] = hours.from;
  }
  if (hours.to !== undefined) {
    where.push('hour < @hourTo');
    params['hourTo'] = hours.to;
  }
  params['strip'] = by === 'compliance' ? 1 : by.length + 2;
  const time = interval !== undefined ? '(hour - hour % @interval)' : 'NULL';
  if (interval !== undefined) params['interval'] = interval;
  return {
    sql: `SELECT substr(tag, @strip) AS key, NULL AS label, ${time} AS time, sum(count) AS count FROM tag_hours WHERE ${where.join(' AND ')} GROUP BY time, key`,
    params,
  };
}

/** Sums parts (rollup and edges) by bucket and key, then keeps the `size` largest per bucket, as the SQL ranks. */
export function mergeBuckets(parts: ReadonlyArray<readonly AggregationBucket[]>, size: number): AggregationBucket[] {
  const byKey = new Map<string, AggregationBucket>();
  for (const part of parts) {
    for (const b of part) {
      const id = `${b.time ?? ''}\u0000${b.key}`;
      const seen = byKey.get(id);
      if (seen) seen.count += b.count;
      else byKey.set(id, { ...b });
    }
  }
  const perTime = new Map<number | undefined, AggregationBucket[]>();
  for (const b of byKey.values()) {
    const list = perTime.get(b.time) ?? [];
    list.push(b);
    perTime.set(b.time, list);
  }
  const byCount = (a: AggregationBucket, b: AggregationBucket) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return [...perTime.entries()]
    .sort(([a], [b]) => (a ?? 0) - (b ?? 0))
    .flatMap(([, list]) => list.sort(byCount).slice(0, size));
}
