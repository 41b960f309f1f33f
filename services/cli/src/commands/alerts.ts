import { openAlertsReadOnly, Params, QueryParameterError, readAlertSearch, type AlertQuery } from '@vigil/indexer';
import { VigilError, type Alert } from '@vigil/common';
import type { VigilConfig } from '../config.ts';
import { alertLines } from './alerts-output.ts';
import { parseSince } from './since.ts';

export interface AlertsOptions {
  level?: string | undefined;
  rule?: string | undefined;
  agent?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  group?: string | undefined;
  compliance?: string | undefined;
  search?: string | undefined;
  limit?: string | undefined;
  offset?: string | undefined;
  json?: boolean | undefined;
  /** Base URL of the indexer's query API; without it the SQLite file is read directly. */
  api?: string | undefined;
}

/** Command-line flag → query API parameter; the API's parser checks both, so they never disagree. */
const FLAG_TO_PARAM: Record<string, string> = { level: 'level', rule: 'rule', agent: 'agent', since: 'from', until: 'to', group: 'group', compliance: 'compliance', search: 'q', limit: 'limit', offset: 'offset' };
const PARAM_TO_FLAG = Object.fromEntries(Object.entries(FLAG_TO_PARAM).map(([f, p]) => [p, f]));

function positiveInt(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`--${name}: '${value}' is not a whole number`);
  return Number(value);
}

/** The query API parameters of the options (times already resolved to epoch ms). */
export function alertSearchParams(options: AlertsOptions, now: number = Date.now()): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [flag, param] of Object.entries(FLAG_TO_PARAM)) {
    const value = options[flag as keyof AlertsOptions];
    if (typeof value !== 'string') continue;
    if (flag === 'since' || flag === 'until') sp.set(param, String(parseSince(value, now)));
    else if (flag === 'level' || flag === 'limit' || flag === 'offset') sp.set(param, String(positiveInt(flag, value)));
    else sp.set(param, value);
  }
  if (!sp.has('limit')) sp.set('limit', '50');
  return sp;
}

export function buildAlertQuery(options: AlertsOptions, now: number = Date.now()): AlertQuery {
  try {
    return readAlertSearch(new Params(alertSearchParams(options, now), now), { fts: true, maxLimit: 100_000 }).query;
  } catch (err) {
    if (err instanceof QueryParameterError) {
      const flag = PARAM_TO_FLAG[err.parameter] ?? err.parameter;
      throw new VigilError('QUERY_INVALID', `--${flag}: ${err.message.replace(/^parameter '[^']+': /, '')}`, { cause: err });
    }
    throw err;
  }
}

export { formatAlertLine } from './alerts-output.ts';

function printAlerts(alerts: Alert[], options: AlertsOptions, print: (line: string) => void): void {
  for (const line of alertLines(alerts, options.json === true)) print(line);
}

/** `vigil alerts --api URL`: asks the indexer's query API (token from VIGIL_API_TOKEN or indexer.api.token). */
async function alertsFromApi(config: VigilConfig, options: AlertsOptions, print: (line: string) => void): Promise<void> {
  buildAlertQuery(options); // the same checks, with the flag names in the messages
  const base = (options.api as string).replace(/\/+$/, '');
  const token = process.env['VIGIL_API_TOKEN'] || config.indexer.api.token;
  let res: Response;
  try {
    res = await fetch(`${base}/alerts?${alertSearchParams(options)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (cause) {
    throw new VigilError('QUERY_INVALID', `cannot reach the query API at ${base}: ${(cause as Error).message}`, { cause });
  }
  const body = (await res.json().catch(() => ({}))) as { items?: Alert[]; error?: { message?: string } };
  if (!res.ok) throw new VigilError('QUERY_INVALID', `query API answered ${res.status}: ${body.error?.message ?? res.statusText}`);
  printAlerts(body.items ?? [], options, print);
}

/**
 * `vigil alerts`: reads the indexer's SQLite file directly (read-only), or asks the query API when `--api URL` is
 * given (then it returns a promise to await).
 */
export function alertsCommand(config: VigilConfig, options: AlertsOptions, print: (line: string) => void): void | Promise<void> {
  if (options.api) return alertsFromApi(config, options, print);
  const query = buildAlertQuery(options);
  let store: ReturnType<typeof openAlertsReadOnly>;
  try {
    store = openAlertsReadOnly(config.indexer.sqlite.path, { fts: config.indexer.sqlite.fts });
  } catch (cause) {
    throw new Error(`no alert database at ${config.indexer.sqlite.path} (is the indexer running? start with: vigil start)`, { cause });
  }
  try {
    printAlerts(store.query(query), options, print);
  } finally {
    store.close();
  }
}
