import { openAlertsReadOnly, type AlertQuery } from '@vigil/indexer';
import type { Alert } from '@vigil/common';
import type { VigilConfig } from '../config.ts';
import { parseSince } from './since.ts';

export interface AlertsOptions {
  level?: string | undefined;
  rule?: string | undefined;
  agent?: string | undefined;
  since?: string | undefined;
  limit?: string | undefined;
  json?: boolean | undefined;
}

function positiveInt(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`--${name}: '${value}' is not a whole number`);
  return Number(value);
}

export function buildAlertQuery(options: AlertsOptions): AlertQuery {
  const q: AlertQuery = {};
  if (options.level !== undefined) q.minLevel = positiveInt('level', options.level);
  if (options.rule !== undefined) q.rule = options.rule;
  if (options.agent !== undefined) q.agent = options.agent;
  if (options.since !== undefined) q.since = parseSince(options.since);
  q.limit = options.limit !== undefined ? positiveInt('limit', options.limit) : 50;
  return q;
}

export function formatAlertLine(a: Alert): string {
  return `${a.timestamp}  level ${String(a.rule.level).padStart(2)}  rule ${a.rule.id.padEnd(6)}  ${a.agent.name}  ${a.rule.description}`;
}

/** `vigil alerts`: reads the indexer's SQLite file directly (read-only). */
export function alertsCommand(config: VigilConfig, options: AlertsOptions, print: (line: string) => void): void {
  const query = buildAlertQuery(options);
  let store: ReturnType<typeof openAlertsReadOnly>;
  try {
    store = openAlertsReadOnly(config.indexer.sqlite.path);
  } catch (cause) {
    throw new Error(`no alert database at ${config.indexer.sqlite.path} (is the indexer running? start with: vigil start)`, { cause });
  }
  try {
    const alerts = store.query(query);
    if (options.json) for (const a of alerts) print(JSON.stringify(a));
    else if (alerts.length === 0) print('no alerts match');
    else for (const a of alerts.reverse()) print(formatAlertLine(a));
  } finally {
    store.close();
  }
}
