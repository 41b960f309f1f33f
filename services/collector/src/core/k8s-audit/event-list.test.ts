import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditLogLine, parseEventList } from './event-list.ts';

const item = {
  level: 'Metadata',
  auditID: '5b6a2f1e-8c1d-4c59-9d63-0e7f3b2a1c11',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/shop/pods/api-7d9f/exec?command=sh&stdin=true',
  verb: 'create',
  user: { username: 'alice', groups: ['system:authenticated'] },
};

test('an EventList: one audit log line per item, kind and apiVersion first, as the log backend writes', () => {
  const r = parseEventList(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [item, { ...item, stage: 'RequestReceived' }] }));
  assert.ok(r.ok);
  assert.equal(r.lines.length, 2);
  assert.ok(r.lines[0]?.startsWith('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"5b6a2f1e'));
  assert.ok(r.lines[0]?.includes('command=sh\\u0026stdin=true'), "'&' escaped as Go's encoder does");
  assert.deepEqual(JSON.parse(r.lines[1] as string), { kind: 'Event', apiVersion: 'audit.k8s.io/v1', ...item, stage: 'RequestReceived' });
});

test("an item's own kind and apiVersion are kept in front", () => {
  const line = auditLogLine({ auditID: 'x', apiVersion: 'audit.k8s.io/v1', stage: 'ResponseComplete', kind: 'Event' }, 'audit.k8s.io/v1');
  assert.equal(line, '{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x","stage":"ResponseComplete"}');
});

test('an empty list is no events', () => {
  assert.deepEqual(parseEventList('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":null}'), { ok: true, lines: [] });
  assert.deepEqual(parseEventList('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{}}'), { ok: true, lines: [] });
});

test('what is not an EventList of audit events is refused with the reason', () => {
  const refused = (body: string) => {
    const r = parseEventList(body);
    assert.equal(r.ok, false, body);
    return (r as { reason: string }).reason;
  };
  assert.match(refused('{"kind":"EventList"'), /^not JSON/);
  assert.match(refused('[1]'), /not a JSON object/);
  assert.match(refused('{"kind":"Event","apiVersion":"audit.k8s.io/v1"}'), /kind is "Event", expected "EventList"/);
  assert.match(refused('{"kind":"EventList","apiVersion":"v1","items":[]}'), /apiVersion is "v1"/);
  assert.match(refused('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":{}}'), /items is not an array/);
  assert.match(refused(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [item, 'x'] })), /items\[1\] is not an object/);
  assert.match(refused(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [{ level: 'Metadata' }] })), /items\[0\] is not an audit event/);
  assert.match(refused(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [{ ...item, kind: 'Pod' }] })), /items\[0\]\.kind is "Pod"/);
});
