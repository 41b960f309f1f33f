import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjects } from '@vigil/common';
import { fimAlert, scaAlert, sshdAlert } from '../../test/fixtures/alerts.ts';
import type { RouteFilter } from '../config.ts';
import { compileFilter, filterSubject, globToRegExp, matchesFilter } from './route-filter.ts';

const matches = (filter: Partial<RouteFilter>, alert = sshdAlert()) => matchesFilter(compileFilter({ minLevel: 0, ...filter }), alert);

test('each filter condition selects and rejects', () => {
  assert.equal(matches({}), true);
  assert.equal(matches({ minLevel: 5 }), true);
  assert.equal(matches({ minLevel: 6 }), false);
  assert.equal(matches({ rules: ['550', '5710'] }), true);
  assert.equal(matches({ rules: ['550'] }), false);
  assert.equal(matches({ groups: ['syscheck', 'sshd'] }), true);
  assert.equal(matches({ groups: ['syscheck'] }), false);
  assert.equal(matches({ excludeGroups: ['invalid_login'] }), false);
  assert.equal(matches({ excludeGroups: ['syscheck'] }), true);
  assert.equal(matches({ agents: ['001'] }), true);
  assert.equal(matches({ agents: ['002'] }), false);
  assert.equal(matches({ agentNames: ['web*'] }), true);
  assert.equal(matches({ agentNames: ['db?1'] }), false);
  assert.equal(matches({ agents: ['002'], agentNames: ['web0?'] }), true, 'agents OR agent names');
  assert.equal(matches({ locations: ['/var/log/*'] }), true);
  assert.equal(matches({ locations: ['syscheck'] }), false);
  assert.equal(matches({ locations: ['syscheck'] }, fimAlert()), true);
});

test('all conditions must hold together: FIM alerts to one channel, level 12+ to another', () => {
  const fim: Partial<RouteFilter> = { groups: ['syscheck'], excludeGroups: ['syscheck_entry_added'] };
  const critical: Partial<RouteFilter> = { minLevel: 12 };
  const alerts = [sshdAlert(), sshdAlert({ rule: { level: 12 } }), fimAlert(), fimAlert({ rule: { groups: ['syscheck', 'syscheck_entry_added'] } }), scaAlert()];
  assert.deepEqual(alerts.map((a) => matches(fim, a)), [false, false, true, false, false]);
  assert.deepEqual(alerts.map((a) => matches(critical, a)), [false, true, false, false, false]);
});

test('glob patterns are anchored and treat regex characters literally', () => {
  assert.equal(globToRegExp('web-*.prod').test('web-1.prod'), true);
  assert.equal(globToRegExp('web-*.prod').test('web-1xprod'), false);
  assert.equal(globToRegExp('a(b)+').test('a(b)+'), true);
  assert.equal(globToRegExp('web').test('web01'), false);
});

test('filters become a single JetStream filter subject where the filter pins a token', () => {
  const s = subjects('hids');
  const subject = (f: Partial<RouteFilter>) => filterSubject({ minLevel: 0, ...f }, s);
  assert.deepEqual(subject({}), { subject: 'hids.alerts.>', exact: true });
  assert.deepEqual(subject({ minLevel: 3 }), { subject: 'hids.alerts.>', exact: false });
  assert.deepEqual(subject({ rules: ['550'] }), { subject: 'hids.alerts.*.*.550', exact: true });
  assert.deepEqual(subject({ rules: ['550', '553'] }), { subject: 'hids.alerts.>', exact: false });
  assert.deepEqual(subject({ agents: ['001'] }), { subject: 'hids.alerts.*.001.*', exact: true });
  assert.deepEqual(subject({ agents: ['001'], agentNames: ['web*'] }), { subject: 'hids.alerts.>', exact: false });
  assert.deepEqual(subject({ agents: ['001'], rules: ['5710'], minLevel: 12 }), { subject: 'hids.alerts.*.001.5710', exact: false });
  assert.deepEqual(subject({ minLevel: 16 }), { subject: 'hids.alerts.16.*.*', exact: true });
  assert.deepEqual(subject({ rules: ['not a token'] }), { subject: 'hids.alerts.>', exact: false });
  assert.deepEqual(subject({ groups: ['syscheck'] }), { subject: 'hids.alerts.>', exact: false });
  assert.deepEqual(filterSubject({ minLevel: 0, rules: ['550'] }, subjects('acme.hids')), { subject: 'acme.hids.alerts.*.*.550', exact: true });
});
