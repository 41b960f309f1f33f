import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionOf, subjects } from './subjects.ts';

test('subject builders and parsers agree', () => {
  const s = subjects('hids');
  assert.equal(s.raw('web-01', 'log'), 'hids.raw.web-01.log');
  assert.deepEqual(s.parseRaw('hids.raw.web-01.log'), { agent: 'web-01', kind: 'log' });
  assert.equal(s.decoded(3, 'web-01'), 'hids.decoded.3.web-01');
  assert.deepEqual(s.parseDecoded('hids.decoded.3.web-01'), { partition: 3, agent: 'web-01' });
  assert.equal(s.alert(10, 'web-01', '5712'), 'hids.alerts.10.web-01.5712');
  assert.equal(s.dlq('decoder', 'EVENT_INVALID'), 'hids.dlq.decoder.EVENT_INVALID');
  assert.equal(s.parseRaw('hids.decoded.3.web-01'), undefined);
});

test('a custom prefix is used everywhere', () => {
  const s = subjects('acme.hids');
  assert.equal(s.raw('a', 'fim'), 'acme.hids.raw.a.fim');
  assert.deepEqual(s.parseRaw('acme.hids.raw.a.fim'), { agent: 'a', kind: 'fim' });
  assert.equal(s.alertsAll(), 'acme.hids.alerts.>');
});

test('tokens that would break a subject are refused', () => {
  const s = subjects();
  assert.throws(() => s.raw('web.01', 'log'), /agent id 'web.01'/);
  assert.throws(() => s.raw('*', 'log'), /agent id/);
});

test('partitions are stable and spread agents', () => {
  assert.equal(partitionOf('web-01', 8), partitionOf('web-01', 8));
  const used = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`agent-${i}`, 8)));
  assert.equal(used.size, 8);
});

test('alertFilter builds filter subjects over alerts with * wildcards and refuses bad tokens', () => {
  const s = subjects('hids');
  assert.equal(s.alertFilter('*', '*', '5710'), 'hids.alerts.*.*.5710');
  assert.equal(s.alertFilter('16', '001', '*'), 'hids.alerts.16.001.*');
  assert.throws(() => s.alertFilter('*', 'a.b', '*'));
});
