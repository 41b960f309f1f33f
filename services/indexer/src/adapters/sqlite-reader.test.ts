import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '@vigil/common';
import { SqliteAlertStore } from './sqlite-store.ts';
import { AGGREGATION_FIELDS, type AggregationQuery } from '../core/aggregation.ts';
import type { AlertQuery } from '../core/alert-query.ts';
import { sshAlert, T0 } from '../../test/alert-fixtures.ts';

const HOUR = 3_600_000;

/** 3,000 alerts over three days at irregular times, with varied levels, rules, agents, groups and compliance. */
function varied(): Alert[] {
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: 3000 }, (_, i) => {
    const base = sshAlert(i, { at: T0 + Math.floor(rand() * 72 * HOUR) });
    const level = [3, 5, 7, 10, 12][i % 5] as number;
    return {
      ...base,
      id: `v${i}`,
      rule: { ...base.rule, level, id: String(5700 + (i % 7)), groups: ['sshd', i % 3 ? 'authentication_failed' : 'authentication_success'], pci_dss: i % 2 ? ['10.2.4'] : ['10.2.5', '11.4'], gdpr: i % 4 ? ['IV_32.2'] : [] },
      agent: { id: String(i % 9).padStart(3, '0'), name: `host${i % 9}` },
    };
  });
}

test('aggregations from the hourly rollup equal counting the alerts, for ranges that do not start on the hour', () => {
  const store = new SqliteAlertStore(':memory:');
  store.write(varied());
  const reader = store.reader();
  const ranges: Array<Pick<AlertQuery, 'since' | 'until'>> = [
    {},
    { since: T0 + 90 * 60_000 + 17 },
    { since: T0 + 5 * HOUR, until: T0 + 50 * HOUR },
    { since: T0 + 5 * HOUR + 1234, until: T0 + 50 * HOUR - 999 },
    { until: T0 + 30 * HOUR + 5 },
    { since: T0 + 10 * HOUR + 60_000, until: T0 + 10 * HOUR + 1_800_000 },
  ];
  for (const by of AGGREGATION_FIELDS) {
    for (const range of ranges) {
      for (const interval of [undefined, HOUR, 6 * HOUR, 86_400_000]) {
        if (interval !== undefined && range.since === undefined) continue;
        const agg: AggregationQuery = { by, size: 4, filters: range, ...(interval !== undefined ? { interval } : {}) };
        assert.deepEqual(reader.aggregate(agg), reader.aggregate(agg, { useRollup: false }), JSON.stringify(agg));
      }
    }
  }
  store.close();
});

test('searches driven by a group or compliance tag give the same pages as the general form', () => {
  const store = new SqliteAlertStore(':memory:');
  store.write(varied());
  const reader = store.reader();
  const cases: AlertQuery[] = [
    { group: 'authentication_success', limit: 20 },
    { group: 'authentication_success', limit: 20, offset: 40, order: 'asc' },
    { compliance: 'pci_dss:11.4', since: T0 + 10 * HOUR, until: T0 + 20 * HOUR, minLevel: 7, limit: 50 },
    { group: 'sshd', compliance: 'gdpr:IV_32.2', agent: 'host3', limit: 30 },
  ];
  for (const q of cases) {
    const expected = varied()
          .filter((a) => (q.group === undefined || a.rule.groups.includes(q.group)) && (q.compliance === undefined || [...(a.rule.pci_dss ?? []).map((p) => `pci_dss:${p}`), ...(a.rule.gdpr ?? []).map((p) => `gdpr:${p}`)].includes(q.compliance)))
          .filter((a) => (q.minLevel === undefined || a.rule.level >= q.minLevel) && (q.agent === undefined || a.agent.name === q.agent || a.agent.id === q.agent))
          .map((a) => ({ a, t: Date.parse(a.timestamp.replace('+0000', 'Z')) }))
          .filter(({ t }) => (q.since === undefined || t >= q.since) && (q.until === undefined || t < q.until));
    assert.equal(reader.count(q), expected.length, JSON.stringify(q));
    const page = reader.query(q);
    const all = reader.query({ ...q, limit: 10_000, offset: 0 });
    const times = all.map((a) => Date.parse(a.timestamp.replace('+0000', 'Z')));
    assert.deepEqual([...times].sort((x, y) => (q.order === 'asc' ? x - y : y - x)), times, 'in time order');
    assert.deepEqual(page.map((a) => a.id), all.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 100)).map((a) => a.id));
    assert.equal(all.length, expected.length);
  }
  store.close();
});

test('free text gives the same answers whether its words are rare (listed) or common (probed per row)', () => {
  const store = new SqliteAlertStore(':memory:');
  const alerts = varied();
  store.write(alerts);
  const reader = store.reader();
  // 'invalid' is in every full_log (3,000 rows: probed); 'admin17' in one (listed); 'admin1*' in 1,111 (listed).
  for (const text of ['invalid', 'admin17', 'admin1*', 'invalid admin2*']) {
    for (const q of [{ text }, { text, agent: 'host4', since: T0 + 5 * HOUR }, { text, group: 'authentication_success', minLevel: 7 }] as AlertQuery[]) {
      const expected = alerts
        .filter((a) => text.split(' ').every((w) => new RegExp(`\\b${w.replace('*', '\\w*')}\\b`, 'i').test(a.full_log ?? '')))
        .filter((a) => (q.agent === undefined || a.agent.name === q.agent) && (q.group === undefined || a.rule.groups.includes(q.group)) && (q.minLevel === undefined || a.rule.level >= q.minLevel))
        .filter((a) => q.since === undefined || Date.parse(a.timestamp.replace('+0000', 'Z')) >= q.since);
      assert.equal(reader.count(q), expected.length, JSON.stringify(q));
      assert.deepEqual(new Set(reader.query({ ...q, limit: 10_000 }).map((a) => a.id)), new Set(expected.map((a) => a.id)), JSON.stringify(q));
      assert.equal(reader.aggregate({ by: 'agent', size: 100, filters: q }).reduce((n, b) => n + b.count, 0), expected.length, JSON.stringify(q));
    }
  }
  store.close();
});
