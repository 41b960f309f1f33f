import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, isListening } from '@vigil/common';
import { natsSkipReason, waitFor } from '@vigil/common/testing';
import { REPO, sshdLine, spawnVigil, stopChild, VIGIL_BIN, writeConfigFile } from '../harness.ts';

const run = promisify(execFile);
const skip = natsSkipReason();

test("the README's two commands are the ones these tests run", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  assert.match(readme, /^\.\/bin\/vigil start$/m, 'README shows ./bin/vigil start');
  assert.match(readme, /^npm test$/m, 'README shows npm test');
  const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
  assert.match(ci, /^npm test$/m, '.ci/run runs the README test command');
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts['test'], 'sh scripts/test.sh');
});

test('with `vigil start` running, a failed-ssh line appended to the demo file shows up in `vigil alerts --json`', { skip, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
  const port = await freePort();
  const apiPort = await freePort();
  // Only what differs from a developer's machine: free ports, a temporary data folder, and the query API (with the
  // dashboard) turned on.
  const configFile = writeConfigFile(dir, {
    dataDir: join(dir, 'data'),
    nats: { url: `nats://127.0.0.1:${port}` },
    collector: { hostLogs: false },
    indexer: { api: { enabled: true, port: apiPort } },
  });
  const env: Record<string, string> = { VIGIL_CONFIG: configFile, NATS_URL: '' };
  const start = spawnVigil(['start'], env);
  try {
    // The whole banner (its last line), so the lines checked below have been printed.
    await waitFor(() => /Stop with Ctrl-C/.test(start.output()), 60_000, '`vigil start` to report it is running');
    assert.match(start.output(), /starting nats-server with JetStream on 127\.0\.0\.1:/);
    assert.match(start.output(), /alerts stored\s+\S+vigil\.db/);
    assert.match(start.output(), new RegExp(`dashboard\\s+http://127\\.0\\.0\\.1:${apiPort}/ui/`));
    assert.match(start.output(), /vigil alerts/);
    const demo = join(dir, 'data', 'demo.log');
    const line = sshdLine('Failed password for root from 203.0.113.7 port 52113 ssh2', hostname());
    appendFileSync(demo, `${line}\n`);
    const found = await waitFor(async () => {
      const { stdout } = await run(VIGIL_BIN, ['alerts', '--json'], { cwd: REPO, env: { ...process.env, ...env } });
      return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { full_log?: string; rule: { id: string; level: number } }).find((a) => a.full_log === line);
    }, 60_000, 'the alert in `vigil alerts --json`');
    assert.equal(found.rule.id, '200103');
    assert.equal(found.rule.level, 10);
  } finally {
    const code = await stopChild(start, 'SIGTERM');
    assert.equal(code, 0, `vigil start exits cleanly on SIGTERM:\n${start.output()}`);
    assert.equal(await isListening(port), false, 'the nats-server it started is stopped too');
  }
});
