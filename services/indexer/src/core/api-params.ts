import { VigilError } from '@vigil/common';
import type { AlertQuery } from './alert-query.ts';
import { AGGREGATION_FIELDS, type AggregationField, type AggregationQuery } from './aggregation.ts';
import { COMPLIANCE_STANDARDS } from './alert-row.ts';

/** A query parameter that is missing, repeated, unknown or has a wrong value: the API answers 400 naming it. */
export class QueryParameterError extends VigilError {
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super('QUERY_INVALID', `parameter '${parameter}': ${message}`, { details: { parameter } });
    this.name = 'QueryParameterError';
    this.parameter = parameter;
  }
}

const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 } as const;

/** `15m`, `24h`, `7d` → ms; undefined when it is not a duration. */
export function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** The checks of one query (or path) parameter's text: length, pattern or a set of values. */
export interface ParamSpec {
  /** At most this many characters (256 unless said). */
  max?: number;
  pattern?: RegExp;
  /** What the pattern stands for, in the message: `'x' is not <what>`. */
  what?: string;
  values?: readonly string[];
}

const TOKEN = /^[\w.:@-]+$/u;
const COMPLIANCE = new RegExp(`^(${[...COMPLIANCE_STANDARDS, 'mitre'].join('|')})(:[^,\\s]{1,64})?$`);
const INTEGER: ParamSpec = { max: 20, pattern: /^-?\d+$/, what: 'a whole number' };
const TIME: ParamSpec = { max: 40 };
const RESULTS = ['passed', 'failed', 'not applicable'] as const;

/** Every parameter of the query API, by name: the single source of the HTTP schemas and of {@link Params}' checks. */
export const PARAMETERS: Readonly<Record<string, ParamSpec>> = {
  from: TIME,
  to: TIME,
  level: INTEGER,
  max_level: INTEGER,
  limit: INTEGER,
  offset: INTEGER,
  size: INTEGER,
  rule: { max: 32, pattern: /^\d{1,10}$/, what: 'a rule id (digits)' },
  agent: { max: 128, pattern: TOKEN, what: 'an agent id or name' },
  group: { max: 128, pattern: TOKEN, what: 'a rule group' },
  compliance: { max: 80, pattern: COMPLIANCE, what: `a compliance standard (${[...COMPLIANCE_STANDARDS, 'mitre'].join(', ')}) or <standard>:<requirement>` },
  q: { max: 500 },
  order: { values: ['desc', 'asc'] },
  count: { values: ['true', 'false', '1', '0'] },
  by: { values: AGGREGATION_FIELDS },
  interval: { max: 12 },
  path: { max: 4096 },
  prefix: { max: 4096 },
  policy: { max: 128, pattern: /^[\w.-]+$/, what: 'a policy id' },
  result: { values: RESULTS },
};

/** Path parameters: an agent id in `/agents/<id>/...`, an alert id in `/alerts/<id>`. */
export const PATH_PARAMETERS: Readonly<Record<string, ParamSpec>> = {
  agent: { max: 128, pattern: /^[A-Za-z0-9_-]{1,128}$/, what: 'an agent id' },
  id: { max: 256 },
};

/** The messages of a parameter that fails its spec, shared by {@link Params} and the HTTP schema validation. */
export const PARAMETER_MESSAGES = {
  repeated: () => 'given more than once',
  empty: () => 'is empty',
  tooLong: (max: number) => `is longer than ${max} characters`,
  notMatching: (value: string, spec: ParamSpec) =>
    spec.pattern === INTEGER.pattern ? `'${value}' is not a whole number` : `'${value}' is not ${spec.what ?? 'valid'}`,
  notOneOf: (value: string, values: readonly string[]) => `'${value}' is not one of: ${values.join(', ')}`,
  unknown: (known: readonly string[]) => `unknown parameter (expected one of: ${known.join(', ')})`,
  required: (spec: ParamSpec | undefined) => (spec?.values ? `is required (one of: ${spec.values.join(', ')})` : 'is required'),
} as const;

/** Checks one value against its spec; returns the message of the first failure. */
export function checkParameter(value: string, spec: ParamSpec): string | undefined {
  if (value === '') return PARAMETER_MESSAGES.empty();
  const max = spec.max ?? 256;
  if (value.length > max) return PARAMETER_MESSAGES.tooLong(max);
  if (spec.values && !spec.values.includes(value)) return PARAMETER_MESSAGES.notOneOf(value, spec.values);
  if (spec.pattern && !spec.pattern.test(value)) return PARAMETER_MESSAGES.notMatching(value, spec);
  return undefined;
}

/**
 * Reads each parameter at most once, checked against {@link PARAMETERS}, and refuses the ones it does not know. Over
 * HTTP the schema has already checked them (see api-schema.ts); the CLI validates its options through it directly.
 */
export class Params {
  private readonly seen = new Set<string>();
  private readonly search: URLSearchParams;
  constructor(
    search: URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>,
    private readonly now: number,
  ) {
    if (search instanceof URLSearchParams) this.search = search;
    else {
      this.search = new URLSearchParams();
      for (const [name, value] of Object.entries(search)) {
        for (const v of typeof value === 'string' ? [value] : (value ?? [])) this.search.append(name, v);
      }
    }
  }

  /** Fails on a parameter that no reader asked for, so a typo is a 400 rather than a silently ignored filter. */
  rejectUnknown(known: readonly string[]): void {
    for (const name of new Set(this.search.keys())) {
      if (!known.includes(name)) throw new QueryParameterError(name, PARAMETER_MESSAGES.unknown(known));
    }
  }

  string(name: string): string | undefined {
    this.seen.add(name);
    const all = this.search.getAll(name);
    if (all.length === 0) return undefined;
    if (all.length > 1) throw new QueryParameterError(name, PARAMETER_MESSAGES.repeated());
    const value = all[0] as string;
    const problem = checkParameter(value, PARAMETERS[name] ?? {});
    if (problem !== undefined) throw new QueryParameterError(name, problem);
    return value;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new QueryParameterError(name, PARAMETER_MESSAGES.required(PARAMETERS[name]));
    return v;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (n < min || n > max) throw new QueryParameterError(name, `${n} is out of range ${min}..${max}`);
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!(values as readonly string[]).includes(raw)) throw new QueryParameterError(name, PARAMETER_MESSAGES.notOneOf(raw, values));
    return raw as T;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.oneOf(name, ['true', 'false', '1', '0'] as const);
    return raw === undefined ? undefined : raw === 'true' || raw === '1';
  }

  /** A time: epoch ms, an ISO 8601 date or date-time, or a duration back from now (`24h`, `7d`). */
  time(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const back = parseDuration(raw);
    if (back !== undefined) return this.now - back;
    if (/^\d{1,15}$/.test(raw)) return Number(raw);
    const t = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
    if (Number.isNaN(t)) throw new QueryParameterError(name, `'${raw}' is not a time (epoch ms, ISO 8601, or a duration such as 24h or 7d)`);
    return t;
  }
}

export const ALERT_FILTER_PARAMS = ['from', 'to', 'level', 'max_level', 'rule', 'agent', 'group', 'compliance', 'q'] as const;
export const ALERT_SEARCH_PARAMS = [...ALERT_FILTER_PARAMS, 'limit', 'offset', 'order', 'count'] as const;

/** The filters shared by alert search and aggregations. */
export function readAlertFilters(p: Params, options: { fts: boolean }): AlertQuery {
  const q: AlertQuery = {};
  const since = p.time('from');
  const until = p.time('to');
  if (since !== undefined) q.since = since;
  if (until !== undefined) q.until = until;
  if (since !== undefined && until !== undefined && until <= since) throw new QueryParameterError('to', 'must be later than from');
  const minLevel = p.integer('level', 0, 16);
  const maxLevel = p.integer('max_level', 0, 16);
  if (minLevel !== undefined) q.minLevel = minLevel;
  if (maxLevel !== undefined) q.maxLevel = maxLevel;
  const rule = p.string('rule');
  if (rule !== undefined) q.rule = rule;
  const agent = p.string('agent');
  if (agent !== undefined) q.agent = agent;
  const group = p.string('group');
  if (group !== undefined) q.group = group;
  const compliance = p.string('compliance');
  if (compliance !== undefined) q.compliance = compliance;
  const text = p.string('q');
  if (text !== undefined) {
    if (!options.fts) throw new QueryParameterError('q', 'full-text search is off on this indexer (indexer.sqlite.fts)');
    if (text.trim() === '') throw new QueryParameterError('q', 'has no word to search for');
    q.text = text;
  }
  return q;
}

/** `GET /alerts`: filters, paging and order. */
export function readAlertSearch(p: Params, options: { fts: boolean; maxLimit: number }): { query: AlertQuery; count: boolean } {
  const query = readAlertFilters(p, options);
  query.limit = p.integer('limit', 1, options.maxLimit) ?? Math.min(100, options.maxLimit);
  query.offset = p.integer('offset', 0, 1_000_000) ?? 0;
  query.order = p.oneOf('order', ['desc', 'asc'] as const) ?? 'desc';
  const count = p.boolean('count') ?? false;
  p.rejectUnknown(ALERT_SEARCH_PARAMS);
  return { query, count };
}

export const AGGREGATION_PARAMS = [...ALERT_FILTER_PARAMS, 'by', 'interval', 'size'] as const;
const MAX_BUCKETS = 10_000;

/** `GET /aggregations`: counts by a field, optionally per time bucket. */
export function readAggregation(p: Params, options: { fts: boolean; now: number }): AggregationQuery {
  const by = p.oneOf('by', AGGREGATION_FIELDS);
  if (by === undefined) throw new QueryParameterError('by', PARAMETER_MESSAGES.required(PARAMETERS['by']));
  const filters = readAlertFilters(p, options);
  const rawInterval = p.string('interval');
  let interval: number | undefined;
  if (rawInterval !== undefined) {
    interval = parseDuration(rawInterval);
    if (interval === undefined || interval < 60_000) throw new QueryParameterError('interval', `'${rawInterval}' is not a duration of at least 1m (1m, 1h, 1d...)`);
    const span = (filters.until ?? options.now) - (filters.since ?? 0);
    if (filters.since === undefined) throw new QueryParameterError('from', 'is required with interval');
    if (span / interval > MAX_BUCKETS) throw new QueryParameterError('interval', `gives more than ${MAX_BUCKETS} buckets over the time range`);
  }
  const size = p.integer('size', 1, 1000) ?? 10;
  p.rejectUnknown(AGGREGATION_PARAMS);
  return { by: by as AggregationField, ...(interval !== undefined ? { interval } : {}), size, filters };
}

/** `limit` and `offset` of the listing endpoints. */
export function readPage(p: Params, maxLimit: number): { limit: number; offset: number } {
  return { limit: p.integer('limit', 1, maxLimit) ?? Math.min(100, maxLimit), offset: p.integer('offset', 0, 1_000_000) ?? 0 };
}
