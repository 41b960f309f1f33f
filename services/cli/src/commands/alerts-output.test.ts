import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '@vigil/common';
import { alertLines, displayTime } from './alerts-output.ts';

function alert(id: string, timestamp: string): Alert {
  return {
    timestamp,
    rule: { level: 5, description: `rule of ${id}`, id: '5710', firedtimes: 1, mail: false, groups: ['sshd'] },
    agent: { id: '001', name: 'web01' },
    manager: { name: 'm' },
    id,
    location: '/var/log/auth.log',
  };
}

const older = alert('a1', '2024-05-10T11:00:00.000+0000');
const newer = alert('a2', '2024-05-10T13:30:00.000+0200');
const newest = alert('a3', '1715349600');

test('vigil alerts prints newest first in text and JSON, with dates as ISO 8601 in text', () => {
  assert.deepEqual(alertLines([older, newer, newest], false), [
    '2024-05-10T14:00:00.000Z  level  5  rule 5710    web01  rule of a3',
    '2024-05-10T11:30:00.000Z  level  5  rule 5710    web01  rule of a2',
    '2024-05-10T11:00:00.000Z  level  5  rule 5710    web01  rule of a1',
  ]);
  assert.deepEqual(alertLines([older, newest, newer], true), [newest, newer, older].map((a) => JSON.stringify(a)));
  assert.deepEqual(alertLines([], false), ['no alerts match']);
});

test('a time that cannot be read is shown as it is', () => {
  assert.equal(displayTime('yesterday'), 'yesterday');
  assert.equal(displayTime('1715349600123'), '2024-05-10T14:00:00.123Z');
});
