import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertCountSql, alertQuerySql, complianceTagRange, type AlertQuery } from './alert-query.ts';
import { aggregationSql, AGGREGATION_FIELDS } from './aggregation.ts';
import { toFtsQuery } from './fts-query.ts';

const EVIL = "x'); DROP TABLE alerts; --";

const everything: AlertQuery = {
  minLevel: 3,
  maxLevel: 9,
  rule: EVIL,
  agent: EVIL,
  group: EVIL,
  compliance: `pci_dss:${EVIL}`,
  text: EVIL,
  since: 1,
  until: 2,
  limit: 10,
  offset: 20,
  order: 'asc',
};

test('every value of an alert query is a bound parameter, never part of the SQL text', () => {
  for (const { sql, params } of [alertQuerySql(everything), alertCountSql(everything)]) {
    assert.doesNotMatch(sql, /DROP|x'\)/);
    assert.ok(Object.values(params).some((v) => String(v).includes('DROP TABLE')));
  }
  for (const by of AGGREGATION_FIELDS) {
    const { sql } = aggregationSql({ by, interval: 60_000, filters: everything });
    assert.doesNotMatch(sql, /DROP|x'\)/, by);
  }
});

test('the alert query: filters joined with AND, newest first, limit and offset bound', () => {
  const { sql, params } = alertQuerySql({ minLevel: 5, agent: 'web01', limit: 5 });
  assert.equal(sql, 'SELECT a.json FROM alerts a WHERE a.level >= @minLevel AND (a.agent_id = @agent OR a.agent_name = @agent) ORDER BY a.epoch_ms DESC, a.seq DESC LIMIT @limit OFFSET @offset');
  assert.deepEqual(params, { minLevel: 5, agent: 'web01', limit: 5, offset: 0 });
});

test('compliance: a standard is a tag range, a requirement one tag', () => {
  assert.deepEqual(complianceTagRange('pci_dss'), { from: 'pci_dss:', to: 'pci_dss;' });
  assert.deepEqual(complianceTagRange('pci_dss:10.2.4'), { from: 'pci_dss:10.2.4', to: 'pci_dss:10.2.4' });
});

test('free text becomes quoted FTS5 strings, all required; prefix * kept', () => {
  assert.equal(toFtsQuery('Invalid user'), '"Invalid" "user"');
  assert.equal(toFtsQuery('adm*'), '"adm" *');
  assert.equal(toFtsQuery('say "hi" OR NEAR(a b)'), '"say" """hi""" "OR" "NEAR(a" "b)"');
  assert.equal(toFtsQuery('   '), undefined);
});
