import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toAlertData } from './alert-data.ts';

test('alert data: static fields first in Wazuh order, dotted dynamic names nested, empty dynamic values left out', () => {
  const data = toAlertData({ 'win.system.eventID': '4625', dstuser: 'root', srcip: '10.0.0.1', empty: '', 'win.system.level': '0', app: 'x', status: '' });
  assert.deepEqual(Object.keys(data), ['srcip', 'dstuser', 'status', 'win', 'app']);
  assert.deepEqual(data, { srcip: '10.0.0.1', dstuser: 'root', status: '', win: { system: { eventID: '4625', level: '0' } }, app: 'x' });
});

test('alert data: a name that clashes with an earlier value is dropped; JSON arrays become arrays', () => {
  const data = toAlertData({ a: '1', 'a.b': '2', 'c.d': '3', c: '4', 'c.d.e': '5', list: '["x","y"]', bad: '[oops' });
  assert.deepEqual(data, { a: '1', c: { d: '3' }, list: ['x', 'y'], bad: '[oops' });
});

test('alert data: names like Object.prototype members and __proto__ are ordinary keys', () => {
  const data = toAlertData({ 'constructor.name': 'c', toString: 't', '__proto__.x': 'p', __proto__: 'q' } as Record<string, string>);
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(data)), JSON.parse('{"constructor":{"name":"c"},"toString":"t","__proto__":{"x":"p"}}'));
});
