import { toFtsQuery } from './fts-query.ts';

export type SqlParams = Record<string, string | number>;
export interface SqlStatement {
  sql: string;
  params: SqlParams;
}

/** Above this many rows matching the free text, the search probes FTS5 per candidate row instead of listing. */
export const FTS_LIST_LIMIT = 2000;

/** Counts the rows matching the free text, stopping at FTS_LIST_LIMIT. */
export function ftsProbeSql(text: string): SqlStatement | undefined {
  const match = toFtsQuery(text);
  if (match === undefined) return undefined;
  return { sql: 'SELECT count(*) FROM (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH @match LIMIT @cap)', params: { match, cap: FTS_LIST_LIMIT } };
}

/** Filters of an alert search. Every value is bound as a parameter, never spliced into SQL. */
export interface AlertQuery {
  /** Minimum rule level. */
  minLevel?: number;
  /** Maximum rule level. */
  maxLevel?: number;
  rule?: string;
  /** Agent id or name. */
  agent?: string;
  /** A rule group (`authentication_failed`). */
  group?: string;
  /** A compliance standard (`pci_dss`) or one requirement of it (`pci_dss:10.2.4`). */
  compliance?: string;
  /** Free text over full_log and the rule description (FTS5). */
  text?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  limit?: number;
  offset?: number;
  /** Newest first (default) or oldest first. */
  order?: 'desc' | 'asc';
}

/** The tag range that holds one compliance requirement, or every requirement of a standard. */
export function complianceTagRange(compliance: string): { from: string; to: string } {
  if (compliance.includes(':')) return { from: compliance, to: compliance };
  // Tags are `<standard>:<requirement>`; ';' sorts right after ':', so [std:, std;) is exactly the standard.
  return { from: `${compliance}:`, to: `${compliance};` };
}

/**
 * The WHERE clause shared by searches and aggregations over the `alerts` table (alias `a`). Group and compliance
 * filters go through the `alert_tags` index; free text through `alerts_fts`.
 */
/**
 * How the free-text condition is written. `list`: collect the matching rows from FTS5 first (best when the words
 * are rare). `probe`: check each candidate row against FTS5 (best when the words are common and other filters or
 * the time order pick the rows). The reader chooses by counting matches up to a threshold.
 */
export type FtsMode = 'list' | 'probe';

export function alertWhere(q: AlertQuery, fts: FtsMode = 'list'): { where: string; params: SqlParams } {
  const { conditions, params } = alertConditions(q, fts);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** The conditions of alertWhere, to be joined with AND. */
export function alertConditions(q: AlertQuery, fts: FtsMode = 'list'): { conditions: string[]; params: SqlParams } {
  const where: string[] = [];
  const params: SqlParams = {};
  if (q.minLevel !== undefined) {
    where.push('a.level >= @minLevel');
    params['minLevel'] = q.minLevel;
  }
  if (q.maxLevel !== undefined) {
    where.push('a.level <= @maxLevel');
    params['maxLevel'] = q.maxLevel;
  }
  if (q.rule !== undefined) {
    where.push('a.rule_id = @rule');
    params['rule'] = q.rule;
  }
  if (q.agent !== undefined) {
    where.push('(a.agent_id = @agent OR a.agent_name = @agent)');
    params['agent'] = q.agent;
  }
  if (q.since !== undefined) {
    where.push('a.epoch_ms >= @since');
    params['since'] = q.since;
  }
  if (q.until !== undefined) {
    where.push('a.epoch_ms < @until');
    params['until'] = q.until;
  }
  const timeOnTags = `${q.since !== undefined ? ' AND t.epoch_ms >= @since' : ''}${q.until !== undefined ? ' AND t.epoch_ms < @until' : ''}`;
  if (q.group !== undefined) {
    where.push(`a.seq IN (SELECT t.seq FROM alert_tags t WHERE t.tag = @groupTag${timeOnTags})`);
    params['groupTag'] = `group:${q.group}`;
  }
  if (q.compliance !== undefined) {
    const range = complianceTagRange(q.compliance);
    if (range.from === range.to) {
      where.push(`a.seq IN (SELECT t.seq FROM alert_tags t WHERE t.tag = @complianceTag${timeOnTags})`);
      params['complianceTag'] = range.from;
    } else {
      where.push(`a.seq IN (SELECT t.seq FROM alert_tags t WHERE t.tag >= @complianceFrom AND t.tag < @complianceTo${timeOnTags})`);
      params['complianceFrom'] = range.from;
      params['complianceTo'] = range.to;
    }
  }
  if (q.text !== undefined) {
    const match = toFtsQuery(q.text);
    if (match !== undefined) {
      where.push(
        fts === 'list'
          ? 'a.seq IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH @match)'
          : 'EXISTS (SELECT 1 FROM alerts_fts f WHERE f.alerts_fts MATCH @match AND f.rowid = a.seq)',
      );
      params['match'] = match;
    }
  }
  return { conditions: where, params };
}

/** The one tag a search can be driven by: a group, or a single compliance requirement. */
function drivingTag(q: AlertQuery): { tag: string; rest: AlertQuery } | undefined {
  if (q.group !== undefined) return { tag: `group:${q.group}`, rest: { ...q, group: undefined } };
  if (q.compliance !== undefined && q.compliance.includes(':')) return { tag: q.compliance, rest: { ...q, compliance: undefined } };
  return undefined;
}

/**
 * A page of alerts (their JSON), newest first unless asked otherwise. With a group or a compliance requirement the
 * search walks that tag's index rows in time order and stops at the page, instead of collecting every match first.
 */
export function alertQuerySql(q: AlertQuery, fts: FtsMode = 'list'): SqlStatement {
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const drive = drivingTag(q);
  if (drive) {
    const { conditions, params } = alertConditions(drive.rest, fts);
    params['driveTag'] = drive.tag;
    params['limit'] = q.limit ?? 100;
    params['offset'] = q.offset ?? 0;
    const onTag = ['t.tag = @driveTag'];
    if (q.since !== undefined) onTag.push('t.epoch_ms >= @since');
    if (q.until !== undefined) onTag.push('t.epoch_ms < @until');
    return {
      sql: `SELECT a.json FROM alert_tags t CROSS JOIN alerts a ON a.seq = t.seq WHERE ${[...onTag, ...conditions].join(' AND ')} ORDER BY t.epoch_ms ${dir}, t.seq ${dir} LIMIT @limit OFFSET @offset`,
      params,
    };
  }
  const { where, params } = alertWhere(q, fts);
  params['limit'] = q.limit ?? 100;
  params['offset'] = q.offset ?? 0;
  return {
    sql: `SELECT a.json FROM alerts a ${where} ORDER BY a.epoch_ms ${dir}, a.seq ${dir} LIMIT @limit OFFSET @offset`,
    params,
  };
}

/** How many alerts match (the same filters, no paging). */
export function alertCountSql(q: AlertQuery, fts: FtsMode = 'list'): SqlStatement {
  const { where, params } = alertWhere(q, fts);
  return { sql: `SELECT count(*) AS n FROM alerts a ${where}`, params };
}
