import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandOutputEvents, journalLine, syslogTimestamp } from './journal-entry.ts';

test('a journal entry becomes the syslog line it would have been, with its cursor', () => {
  const at = new Date(2026, 0, 5, 7, 8, 9);
  const entry = {
    __CURSOR: 's=abc;i=1',
    __REALTIME_TIMESTAMP: String(at.getTime() * 1000),
    _HOSTNAME: 'node-1',
    SYSLOG_IDENTIFIER: 'sshd',
    _PID: '4242',
    MESSAGE: 'Failed password for root from 203.0.113.7 port 52113 ssh2',
  };
  assert.deepEqual(journalLine(entry), {
    line: 'Jan  5 07:08:09 node-1 sshd[4242]: Failed password for root from 203.0.113.7 port 52113 ssh2',
    cursor: 's=abc;i=1',
  });
  assert.equal(syslogTimestamp(at), 'Jan  5 07:08:09');
  assert.equal(journalLine({ MESSAGE: [104, 105], __REALTIME_TIMESTAMP: '0' })?.line.endsWith('journal: hi'), true);
  assert.equal(journalLine({ __CURSOR: 'x' }), undefined);
});

test('command output is one event per line, or one event with full_command', () => {
  assert.deepEqual(commandOutputEvents('df -P', 'a\n\nb\n', false), ["ossec: output: 'df -P': a", "ossec: output: 'df -P': b"]);
  assert.deepEqual(commandOutputEvents('netstat', 'a\nb\n', true), ["ossec: output: 'netstat':\na\nb"]);
});
