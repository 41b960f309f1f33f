import type { Alert } from '@vigil/common';

/** The indexed columns of an alert; the whole alert is kept as JSON beside them. */
export interface AlertRow {
  id: string;
  timestamp: string;
  epoch_ms: number;
  level: number;
  rule_id: string;
  agent_id: string;
  agent_name: string;
  groups: string;
  description: string;
  location: string;
  json: string;
}

export function toAlertRow(alert: Alert): AlertRow {
  return {
    id: alert.id,
    timestamp: alert.timestamp,
    epoch_ms: Date.parse(alert.timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')),
    level: alert.rule.level,
    rule_id: alert.rule.id,
    agent_id: alert.agent.id,
    agent_name: alert.agent.name,
    groups: `,${alert.rule.groups.join(',')},`,
    description: alert.rule.description,
    location: alert.location,
    json: JSON.stringify(alert),
  };
}

/** Filters of an alert query; every value is bound as a parameter, never spliced into SQL. */
export interface AlertQuery {
  minLevel?: number;
  rule?: string;
  agent?: string;
  /** Epoch milliseconds. */
  since?: number;
  limit?: number;
}

export function alertQuerySql(q: AlertQuery): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (q.minLevel !== undefined) {
    where.push('level >= @minLevel');
    params['minLevel'] = q.minLevel;
  }
  if (q.rule !== undefined) {
    where.push('rule_id = @rule');
    params['rule'] = q.rule;
  }
  if (q.agent !== undefined) {
    where.push('(agent_id = @agent OR agent_name = @agent)');
    params['agent'] = q.agent;
  }
  if (q.since !== undefined) {
    where.push('epoch_ms >= @since');
    params['since'] = q.since;
  }
  params['limit'] = q.limit ?? 100;
  const sql = `SELECT json FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY epoch_ms DESC, id DESC LIMIT @limit`;
  return { sql, params };
}
