import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCommand } from './command-line.ts';
import { ChildProcessRunner } from './command-runner.ts';
import { evaluateRules } from './evaluate-policy.ts';
import { parseRule } from './parse-rule.ts';
import { ProcTable } from './process-table.ts';
import { RootFileSystem } from './root-file-system.ts';

test('commands run without a shell unless they use shell syntax', () => {
  assert.deepEqual(planCommand('sysctl kernel.randomize_va_space'), { argv: ['sysctl', 'kernel.randomize_va_space'], shell: false });
  assert.deepEqual(planCommand('stat -Lc "%a %u %g" /etc/motd'), { argv: ['stat', '-Lc', '%a %u %g', '/etc/motd'], shell: false });
  assert.deepEqual(planCommand(`sh -c "grep -h '^root' /etc/passwd | head -1"`), { argv: ['sh', '-c', "grep -h '^root' /etc/passwd | head -1"], shell: false });
  assert.deepEqual(planCommand('dnf list installed | grep sudo'), { argv: ['/bin/sh', '-c', 'dnf list installed | grep sudo'], shell: true });
  assert.equal(planCommand('ls /etc/rc*.d/S*syslog-ng').shell, true);
  assert.equal(planCommand('command -v nft >/dev/null && nft list ruleset').shell, true);
});

test('a command runs with stdout and stderr read together, whatever its exit code', async () => {
  const runner = new ChildProcessRunner({ timeoutMs: 5000 });
  assert.deepEqual(await runner.run(`sh -c "echo out; echo err >&2; exit 3"`), { kind: 'exited', exitCode: 3, output: 'out\nerr\n' });
  assert.deepEqual(await runner.run(`printf '%s\\n' one two`), { kind: 'exited', exitCode: 0, output: 'one\ntwo\n' });
  const missing = await runner.run('/nonexistent/vigil-no-such-command --x');
  assert.equal(missing.kind, 'failed');
});

/** Running, as opposed to gone or a zombie waiting for a parent that does not reap it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('a command that hangs is killed at its limit, with its children, and the check is not applicable with that reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sca-hang-'));
  try {
    const pidFile = join(dir, 'child.pid');
    const runner = new ChildProcessRunner({ timeoutMs: 300 });
    const host = { fs: new RootFileSystem('/'), commands: runner, processes: new ProcTable('/proc') };
    const command = `sh -c "sleep 30 & echo $! > ${pidFile}; wait"`;
    const started = Date.now();
    const e = await evaluateRules('all', [parseRule(`c:${command} -> r:anything`)], host);
    const elapsed = Date.now() - started;
    assert.deepEqual(e, {
      result: 'not applicable',
      reason: `Command '${command}' did not finish within 300 ms and was killed`,
      targets: { file: [], directory: [], command: [command], process: [], registry: [] },
    });
    assert.ok(elapsed >= 290 && elapsed < 3000, `took ${elapsed} ms`);
    const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!alive(sleeper), 'the sleeping grandchild was killed with its group');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('commands are not applicable with the reason when they are disabled', async () => {
  const runner = new ChildProcessRunner({ timeoutMs: 1000, disabledReason: 'Command rules are disabled by configuration' });
  const host = { fs: new RootFileSystem('/'), commands: runner, processes: new ProcTable('/proc') };
  const e = await evaluateRules('any', [parseRule('c:true -> r:x')], host);
  assert.equal(e.result, 'not applicable');
  assert.equal(e.reason, 'Command rules are disabled by configuration');
});
