import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { REPO, sshdLine, VIGIL_BIN } from '../harness.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('`vigil logtest --json` piped to a slow reader delivers every line intact and exits 0', { timeout: 180_000 }, async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => sshdLine(`Failed password for root from 203.0.113.${i % 250} port ${10000 + i} ssh2`));
  const child = spawn(VIGIL_BIN, ['logtest', '--json'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdin.end(`${lines.join('\n')}\n`);
  // A deliberately slow reader: small reads with pauses, so the pipe stays full while vigil finishes.
  let out = '';
  await pause(2000);
  for await (const chunk of child.stdout) {
    out += (chunk as Buffer).toString();
    await pause(20);
  }
  const code = await exited;
  assert.equal(code, 0, stderr);
  const printed = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { full_log?: string; log?: string });
  assert.equal(printed.length, lines.length, `every line arrives (stderr: ${stderr.slice(-500)})`);
  assert.ok(out.endsWith('\n'), 'the last line is complete');
});
