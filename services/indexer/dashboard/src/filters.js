/** The alert filters the events page keeps in its URL, sent as they are to the query API (which checks them). */
export const FILTER_KEYS = ['from', 'to', 'level', 'agent', 'rule', 'group', 'compliance', 'q'];
export const DEFAULT_FROM = '24h';

export function filtersOf(params) {
  const f = Object.fromEntries(FILTER_KEYS.filter((k) => params[k] !== undefined && params[k] !== '').map((k) => [k, params[k]]));
  if (f.from === undefined) f.from = DEFAULT_FROM;
  return f;
}

const UNIT = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
const INTERVALS = [['1m', 60e3], ['5m', 300e3], ['15m', 900e3], ['1h', 3600e3], ['3h', 10800e3], ['12h', 43200e3], ['1d', 86400e3], ['7d', 604800e3]];

function epochOf(value, now) {
  const d = /^(\d+)([smhdw])$/.exec(value ?? '');
  if (d) return now - Number(d[1]) * UNIT[d[2]];
  if (/^\d+$/.test(value ?? '')) return Number(value);
  const t = Date.parse(value ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** A histogram interval giving at most about 60 bars over the filters' time range. */
export function intervalFor(filters, now = Date.now()) {
  const from = epochOf(filters.from, now) ?? now - UNIT.d;
  const to = epochOf(filters.to, now) ?? now;
  const span = Math.max(to - from, 60e3);
  return (INTERVALS.find(([, ms]) => span / ms <= 60) ?? INTERVALS[INTERVALS.length - 1])[0];
}
