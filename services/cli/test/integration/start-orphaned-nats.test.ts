import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isListening } from '@vigil/common';
import { natsSkipReason, waitFor } from '@vigil/common/testing';
import { spawnVigil, stopChild, writeConfigFile } from '../harness.ts';

const skip = natsSkipReason();

/** The pids of the nats-server processes that store under `storeDir`, from /proc (zombies have no command line). */
function natsServersOf(storeDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let words: string[];
    try {
      words = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (words.some((w) => w.endsWith('nats-server')) && words.includes(storeDir)) pids.push(Number(entry));
  }
  return pids;
}

/** Waits for `vigil start` to say it runs; on time-out the error carries what it printed. */
async function running(child: ReturnType<typeof spawnVigil>, what: string): Promise<void> {
  try {
    // The whole banner: its last line is printed after the lines this test reads.
    await waitFor(() => /Stop with Ctrl-C/.test(child.output()), 90_000, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}; its output:\n${child.output()}`, { cause: err });
  }
}

test('after `vigil start` is killed with SIGKILL, the next start stops the orphaned nats-server, and its clean stop leaves none', { skip, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-orphan-'));
  const port = await freePort();
  const dataDir = join(dir, 'data');
  const storeDir = join(dataDir, 'nats');
  const pidFile = join(storeDir, 'nats-server.pid');
  const configFile = writeConfigFile(dir, { dataDir, nats: { url: `nats://127.0.0.1:${port}` }, collector: { hostLogs: false, sca: { enabled: false }, inventory: { enabled: false }, fim: { enabled: false } } });
  const env: Record<string, string> = { VIGIL_CONFIG: configFile, NATS_URL: '' };

  // A pid file left by a start whose nats-server has gone since (a reboot): removed with a note.
  const gone = spawnSync('true').pid;
  mkdirSync(storeDir, { recursive: true });
  const stale = { pid: gone, cmdline: ['/usr/bin/nats-server', '-js', '-sd', storeDir], host: '127.0.0.1', port, storeDir, owner: { pid: gone, cmdline: ['node'] } };
  writeFileSync(pidFile, JSON.stringify(stale));

  const first = spawnVigil(['start'], env);
  let second: ReturnType<typeof spawnVigil> | undefined;
  try {
    await running(first, 'the first `vigil start` to run');
    assert.match(first.output(), new RegExp(`removing the stale nats-server pid file ${pidFile} \\(nats-server pid ${gone} is not running\\)`));
    const [orphan] = natsServersOf(storeDir);
    assert.ok(orphan, `a nats-server stores under ${storeDir}`);
    const recorded = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; port: number; owner: { pid: number } };
    assert.equal(recorded.pid, orphan, 'the pid file names it');
    assert.equal(recorded.port, port);
    assert.equal(recorded.owner.pid, first.pid);
    assert.match(first.output(), new RegExp(`nats-server +pid ${orphan}, started by this vigil start and stopped with it`));

    await stopChild(first, 'SIGKILL');
    assert.deepEqual(natsServersOf(storeDir), [orphan], 'the nats-server outlives a killed vigil start');

    second = spawnVigil(['start'], env);
    await running(second, 'the second `vigil start` to run');
    const out = second.output();
    assert.match(out, new RegExp(`found the nats-server \\(pid ${orphan}, 127\\.0\\.0\\.1:${port}\\) left running by a vigil start that did not stop cleanly \\(pid ${first.pid}\\): stopping it and starting a fresh one`));
    assert.match(out, /starting nats-server with JetStream on 127\.0\.0\.1:/, 'a fresh nats-server, not the orphan adopted');
    const fresh = natsServersOf(storeDir);
    assert.equal(fresh.length, 1, `one nats-server for the store: ${fresh.join(', ')}`);
    assert.notEqual(fresh[0], orphan);
    assert.equal((JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid, fresh[0]);

    const code = await stopChild(second, 'SIGTERM');
    assert.equal(code, 0, `the second vigil start exits cleanly on SIGTERM:\n${second.output()}`);
    assert.deepEqual(natsServersOf(storeDir), [], 'no nats-server with that store directory remains');
    assert.equal(existsSync(pidFile), false, 'a clean stop removes the pid file');
    assert.equal(await isListening(port), false);
  } finally {
    await stopChild(first, 'SIGKILL');
    if (second) await stopChild(second, 'SIGKILL');
    for (const pid of natsServersOf(storeDir)) process.kill(pid, 'SIGKILL');
  }
});
