import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNats } from '@vigil/common/testing';
import { auditUnavailableReason } from '../../src/adapters/audit-rules.ts';
import { startHarness } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;

test('the collector says what it follows: the journal choice and whether who-data is on', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notes-'));
  const authLog = join(dir, 'auth.log');
  writeFileSync(authLog, '');
  const watched = join(dir, 'watched');
  mkdirSync(watched);
  const h = await startHarness({
    natsUrl: nats.url,
    dir,
    agentId: 'agent-notes',
    collector: {
      hostLogs: true,
      hostLogPaths: [authLog, join(dir, 'syslog')],
      fim: { enabled: true, replaceDefaults: true, directories: [{ path: watched, whodata: true }], auditKey: 'vigil_notes_test', ignore: [join(dir, 'state')] },
    },
  });
  try {
    const notes = h.collector.notes();
    assert.ok(notes.includes(`journal: not followed, authentication is logged to ${authLog}`), notes.join('\n'));
    assert.equal(h.collector.paths.includes('journald'), false);
    // Other work on the machine may start or stop auditd meanwhile: the line must be one of the two, and say why
    // when off (the reason as the audit system gave it at start).
    const fim = notes.find((n) => n.startsWith('fim: who-data')) ?? '';
    const on = `fim: who-data on (auditd: who changed what) for ${watched}`;
    const off = /^fim: who-data off \((.+)\); (.+) watched in realtime \(inotify\) instead; /.exec(fim);
    assert.ok(fim === on || (off && off[2] === watched && off[1] !== ''), fim);
    if (auditUnavailableReason() === 'not running as root') assert.ok(off, 'who-data cannot be on without root');
  } finally {
    await h.stop();
  }

  // The same host without its auth.log and without journal files: the banner says logins are not watched.
  const bare = await startHarness({
    natsUrl: nats.url,
    agentId: 'agent-notes-2',
    collector: { hostLogs: true, hostLogPaths: [join(dir, 'missing', 'auth.log')], journal: { directory: join(dir, 'no-journal') } },
  });
  try {
    assert.ok(bare.collector.notes().some((n) => /^authentication logs: none found .*logins are not watched$/.test(n)), bare.collector.notes().join('\n'));
  } finally {
    await bare.stop();
  }
});
