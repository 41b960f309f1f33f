import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditAssembler, auditPayload, touchedPaths, type AuditEvent } from './audit-event.ts';
import { parseAuditRecord, parseFields } from './audit-record.ts';
import { whodataOf } from './whodata.ts';
import { hex, sudoViRecords } from '../../../test/audit-fixtures.ts';

const names = {
  user: (id: number) => ({ 0: 'root', 1000: 'alice' })[id as 0 | 1000],
  group: (id: number) => ({ 0: 'root' })[id as 0],
};

function assemble(lines: string[]): AuditEvent[] {
  const a = new AuditAssembler();
  const out: AuditEvent[] = [];
  for (const l of lines) {
    const r = parseAuditRecord(l);
    if (r) out.push(...a.push(r));
  }
  return [...out, ...a.flush()];
}

test('records are parsed: header, key=value fields, quoted and hex values', () => {
  const r = parseAuditRecord(sudoViRecords(77)[0] as string);
  assert.equal(r?.type, 'SYSCALL');
  assert.equal(r?.serial, 77);
  assert.equal(r?.time, 1732780800.123);
  assert.equal(r?.fields['auid'], '1000');
  assert.equal(r?.fields['exe'], '/usr/bin/vim.basic');
  assert.equal(parseAuditRecord('not an audit line'), undefined);
  assert.deepEqual(parseFields(`pid=1 uid=0 msg='op=PAM:session_open acct="alice" exe="/usr/sbin/sshd" res=success'`), {
    pid: '1',
    uid: '0',
    op: 'PAM:session_open',
    acct: 'alice',
    exe: '/usr/sbin/sshd',
    res: 'success',
  });
});

test('records are grouped by serial, even interleaved, and merged with hex fields decoded', () => {
  const a = sudoViRecords(100);
  const b = sudoViRecords(101, '/etc/hosts', '/root');
  const interleaved = [a[0], b[0], a[1], b[1], a[2], a[3], b[2], b[3], a[4], b[4], a[5], b[5]] as string[];
  const events = assemble(interleaved);
  assert.deepEqual(events.map((e) => e.serial), [100, 101]);
  const e = events[0] as AuditEvent;
  assert.deepEqual(e.types, ['SYSCALL', 'CWD', 'PATH', 'PROCTITLE']);
  assert.equal(e.proctitle, 'vi /etc/app.conf');
  assert.deepEqual(touchedPaths(e), ['/etc/app.conf']);
  assert.deepEqual(touchedPaths(events[1] as AuditEvent), ['/etc/hosts']);
});

test('a relative path is resolved against the CWD record; a hex-encoded name is decoded', () => {
  const stamp = 'audit(1732780801.000:200)';
  const events = assemble([
    `type=SYSCALL msg=${stamp}: arch=c000003e syscall=82 success=yes exit=0 items=4 ppid=1 pid=9 auid=4294967295 uid=0 gid=0 euid=0 comm="mv" exe="/usr/bin/mv" key="vigil_fim"`,
    `type=CWD msg=${stamp}: cwd="/srv/data"`,
    `type=PATH msg=${stamp}: item=0 name="./" inode=1 dev=08:01 mode=040755 nametype=PARENT`,
    `type=PATH msg=${stamp}: item=1 name=${hex('my file.txt')} inode=2 dev=08:01 mode=0100644 nametype=DELETE`,
    `type=PATH msg=${stamp}: item=2 name="../other/new.txt" inode=2 dev=08:01 mode=0100644 nametype=CREATE`,
    `type=EOE msg=${stamp}: `,
  ]);
  assert.deepEqual(touchedPaths(events[0] as AuditEvent), ['/srv/data/my file.txt', '/srv/other/new.txt']);
  const who = whodataOf(events[0] as AuditEvent, names);
  assert.equal(who?.login_user, undefined, 'auid unset (4294967295): no login user');
});

test('EXECVE arguments (hex or quoted) are decoded and the event becomes an audit payload', () => {
  const stamp = 'audit(1732780802.500:300)';
  const events = assemble([
    `type=SYSCALL msg=${stamp}: arch=c000003e syscall=59 success=yes exit=0 items=2 ppid=10 pid=11 auid=1000 uid=1000 gid=1000 euid=1000 comm="curl" exe="/usr/bin/curl" key="exec"`,
    `type=EXECVE msg=${stamp}: argc=3 a0="curl" a1="-s" a2=${hex('http://203.0.113.9/x y')}`,
    `type=CWD msg=${stamp}: cwd="/tmp"`,
    `type=PROCTITLE msg=${stamp}: proctitle="curl"`,
  ]);
  assert.equal(events.length, 1, 'an event without EOE is complete on flush');
  assert.deepEqual(auditPayload(events[0] as AuditEvent), {
    audit: {
      id: '300',
      timestamp: '2024-11-28T08:00:02.500Z',
      types: ['SYSCALL', 'EXECVE', 'CWD', 'PROCTITLE'],
      syscall: (events[0] as AuditEvent).syscall,
      cwd: '/tmp',
      proctitle: 'curl',
      execve: { argc: 3, args: ['curl', '-s', 'http://203.0.113.9/x y'], command: 'curl -s http://203.0.113.9/x y' },
      key: 'exec',
    },
  });
});

test('who-data: the change is attributed to the process, the user, the login user (auid) and the effective user', () => {
  const [event] = assemble(sudoViRecords(400));
  assert.deepEqual(whodataOf(event as AuditEvent, names, { name: '/usr/bin/sudo', cwd: '/home/alice' }), {
    user: { id: '0', name: 'root' },
    process: { id: '4242', name: '/usr/bin/vim.basic', cwd: '/home/alice', parent_name: '/usr/bin/sudo', parent_cwd: '/home/alice', ppid: '4100' },
    group: { id: '0', name: 'root' },
    login_user: { id: '1000', name: 'alice' },
    effective_user: { id: '0', name: 'root' },
  });
});

test('who-data names come from an enriched log (log_format = ENRICHED) when present', () => {
  const stamp = 'audit(1732780803.000:500)';
  const [event] = assemble([
    `type=SYSCALL msg=${stamp}: arch=c000003e syscall=2 success=yes exit=3 items=1 ppid=1 pid=2 auid=1001 uid=1001 gid=1001 euid=1001 comm="sh" exe="/bin/sh" key="vigil_fim"\x1dARCH=x86_64 SYSCALL=open AUID="bob" UID="bob" GID="bob" EUID="bob"`,
    `type=EOE msg=${stamp}: `,
  ]);
  const who = whodataOf(event as AuditEvent, names);
  assert.deepEqual(who?.login_user, { id: '1001', name: 'bob' });
  assert.deepEqual(who?.group, { id: '1001', name: 'bob' });
});
