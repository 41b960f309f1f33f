import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { Value } from '@sinclair/typebox/value';
import { FimConfig } from '../fim-config.ts';
import { AccountNames } from '../adapters/account-names.ts';
import { AuditTrail } from '../adapters/audit-trail.ts';
import { auditUnavailableReason } from '../adapters/audit-rules.ts';
import { SpoolStore } from '../adapters/spool-store.ts';
import { FimSource } from './fim-source.ts';
import { sudoViRecords } from '../../test/audit-fixtures.ts';

const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

type Syscheck = Record<string, unknown> & { path: string; event: string; mode: string; audit?: Record<string, Record<string, string>> };

function fimEvents(spool: SpoolStore): Syscheck[] {
  return spool
    .peek(1000)
    .map((e) => JSON.parse(e.data) as { kind: string; payload: { syscheck: Syscheck } })
    .filter((e) => e.kind === 'fim')
    .map((e) => e.payload.syscheck);
}

async function whodataFim(root: string, watched: string, whodata?: AuditTrail) {
  const config = Value.Default(FimConfig, {
    enabled: true,
    directories: [{ path: watched, whodata: true }],
    replaceDefaults: true,
    realtimeDelayMs: 50,
    auditKey: 'vigil_fim_test',
  }) as FimConfig;
  const spool = new SpoolStore(join(root, 'state', 'spool.db'), { id: 'a1', name: 'h1' }, 1 << 30);
  const fim = new FimSource({ config, dbPath: join(root, 'state', 'fim.db'), spool, logger, ...(whodata ? { whodata } : {}) });
  await fim.start();
  cleanups.push(async () => {
    await fim.stop();
    spool.close();
  });
  return { fim, spool };
}

test('who-data from audit.log records written for the test: the change is attributed to process, user and login user', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-whodata-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const watched = join(root, 'etc');
  mkdirSync(watched);
  const auditLog = join(root, 'audit.log');
  writeFileSync(auditLog, sudoViRecords(1, '/elsewhere/x').join('\n') + '\n'); // before start: not ours
  const names = { user: (id: number) => ({ 0: 'root', 1000: 'alice' })[id as 0 | 1000], group: (id: number) => ({ 0: 'root' })[id as 0] };
  const trail = new AuditTrail({ path: auditLog, names, logger });
  trail.start();
  cleanups.push(() => trail.stop());
  const { spool } = await whodataFim(root, watched, trail);

  const file = join(watched, 'app.conf');
  writeFileSync(file, 'x=1\n');
  appendFileSync(auditLog, sudoViRecords(2, file, '/home/alice').join('\n') + '\n');
  const [event] = await waitFor(() => (fimEvents(spool).length > 0 ? fimEvents(spool) : undefined), 2000, 'the added event');
  assert.equal(event?.event, 'added');
  assert.equal(event?.mode, 'whodata');
  assert.deepEqual(event?.audit, {
    user: { id: '0', name: 'root' },
    process: { id: '4242', name: '/usr/bin/vim.basic', cwd: '/home/alice', ppid: '4100' },
    group: { id: '0', name: 'root' },
    login_user: { id: '1000', name: 'alice' },
    effective_user: { id: '0', name: 'root' },
  });
});

const auditSkip = auditUnavailableReason();
test('who-data with the real auditd: a watch is added, a change by a known process and login user is attributed, the rule removed after', { skip: auditSkip ? `auditd cannot be used here: ${auditSkip}` : false, timeout: 20_000 }, async () => {
  const { spawnSync } = await import('node:child_process');
  const root = mkdtempSync(join(tmpdir(), 'vigil-auditd-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const watched = join(root, 'watched');
  mkdirSync(watched);
  chmodSync(root, 0o755);
  chmodSync(watched, 0o777);
  const { fim, spool } = await whodataFim(root, watched);
  assert.match(spawnSync('auditctl', ['-l'], { encoding: 'utf8' }).stdout, /vigil_fim_test/);

  // A shell that sets its login uid (as pam_loginuid does at login) to 1000, then becomes daemon (uid 1) and
  // writes the file: the audit trail must name daemon as the user and uid 1000 as the login user.
  const file = join(watched, 'by-daemon.txt');
  const child = spawn('sh', ['-c', `echo 1000 > /proc/self/loginuid && exec setpriv --reuid=1 --regid=1 --clear-groups sh -c 'echo changed > ${file}; sleep 1'`], { stdio: 'ignore' });
  const pid = String(child.pid);
  const [event] = await waitFor(() => (fimEvents(spool).length > 0 ? fimEvents(spool) : undefined), 5000, 'the added event with who-data');
  await new Promise((r) => child.once('exit', r));
  assert.equal(event?.path, file);
  assert.equal(event?.mode, 'whodata');
  assert.equal(event?.audit?.['process']?.['id'], pid);
  assert.equal(event?.audit?.['process']?.['name'], '/usr/bin/dash');
  assert.deepEqual(event?.audit?.['user'], { id: '1', name: 'daemon' });
  assert.deepEqual(event?.audit?.['effective_user'], { id: '1', name: 'daemon' });
  assert.equal(event?.audit?.['login_user']?.['id'], '1000');
  await fim.stop();
  assert.doesNotMatch(spawnSync('auditctl', ['-l'], { encoding: 'utf8' }).stdout, /vigil_fim_test/, 'the audit rule is removed');
});
