import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@vigil/common/testing';
import { inspectNatsPidFile, natsPidFilePath, processExited, procCmdline, removeNatsPidFile, stopRecordedProcess, writeNatsPidFile, type NatsPidRecord } from './nats-pid-file.ts';

/** A real process standing in for nats-server or for a `vigil start`: `sleep` with a recognisable argument. */
async function sleeper(): Promise<ChildProcess & { cmdline: string[] }> {
  const child = spawn('sleep', ['3600'], { stdio: 'ignore' });
  const cmdline = await waitFor(() => (child.pid === undefined ? undefined : procCmdline(child.pid)), 10_000, 'the sleep process');
  return Object.assign(child, { cmdline });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

function record(server: { pid: number; cmdline: string[] }, owner: { pid: number; cmdline: string[] }): NatsPidRecord {
  return { pid: server.pid, cmdline: server.cmdline, host: '127.0.0.1', port: 4222, storeDir: '/tmp/x/nats', owner };
}

const self = () => ({ pid: process.pid, cmdline: procCmdline(process.pid) as string[] });

test('the pid file: none, stale (gone, reused pid, not ours), orphaned (owner gone) and owned (owner alive)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pidfile-'));
  const file = natsPidFilePath(dir);
  assert.equal(file, join(dir, 'nats-server.pid'));
  assert.deepEqual(inspectNatsPidFile(file), { kind: 'none' });

  const server = await sleeper();
  const deadOwner = await sleeper();
  t.after(() => {
    server.kill('SIGKILL');
    deadOwner.kill('SIGKILL');
  });
  const deadOwnerRecord = { pid: deadOwner.pid as number, cmdline: deadOwner.cmdline };
  deadOwner.kill('SIGKILL');
  await exited(deadOwner);

  writeNatsPidFile(file, record({ pid: server.pid as number, cmdline: server.cmdline }, self()));
  assert.equal(inspectNatsPidFile(file).kind, 'owned', 'the server runs and so does its owner');

  writeNatsPidFile(file, record({ pid: server.pid as number, cmdline: server.cmdline }, deadOwnerRecord));
  const orphaned = inspectNatsPidFile(file);
  assert.equal(orphaned.kind, 'orphaned', 'the server runs, its owner is gone');

  // The recorded pid now runs another program (a reused pid): not ours.
  writeNatsPidFile(file, record({ pid: server.pid as number, cmdline: ['/usr/bin/nats-server', '-js'] }, deadOwnerRecord));
  const reused = inspectNatsPidFile(file);
  assert.equal(reused.kind, 'stale');
  assert.match(reused.kind === 'stale' ? reused.reason : '', /is now another program \(sleep\)/);

  writeNatsPidFile(file, record(deadOwnerRecord, deadOwnerRecord));
  const gone = inspectNatsPidFile(file);
  assert.deepEqual(gone, { kind: 'stale', reason: `nats-server pid ${deadOwnerRecord.pid} is not running` });

  writeFileSync(file, '4242\n');
  assert.deepEqual(inspectNatsPidFile(file), { kind: 'stale', reason: 'not a pid file written by vigil start' });

  removeNatsPidFile(file);
  assert.equal(existsSync(file), false);
  removeNatsPidFile(file); // removing twice is fine
});

test('stopRecordedProcess stops the recorded process and leaves a process whose command line differs alone', async (t) => {
  const target = await sleeper();
  const bystander = await sleeper();
  t.after(() => {
    target.kill('SIGKILL');
    bystander.kill('SIGKILL');
  });
  // The bystander's pid with another command line: as if the recorded pid had been reused.
  await stopRecordedProcess({ pid: bystander.pid as number, cmdline: ['/usr/bin/nats-server', '-js'] });
  assert.deepEqual(procCmdline(bystander.pid as number), bystander.cmdline, 'a reused pid is not signalled');

  const ended = exited(target);
  assert.equal(processExited(target.pid as number), false);
  await stopRecordedProcess({ pid: target.pid as number, cmdline: target.cmdline });
  assert.equal(processExited(target.pid as number), true, 'resolves once the process has exited (a zombie at most)');
  await ended;
  assert.equal(target.signalCode, 'SIGTERM');
});
