import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAlertStore } from '@vigil/indexer';
import { sshAlert } from '@vigil/indexer/testing';
import { runVigilIntoSlowReader, sshdLine, writeConfigFile } from '../harness.ts';

test('`vigil logtest --json` piped to a slow reader delivers every line intact and exits 0', { timeout: 180_000 }, async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => sshdLine(`Failed password for root from 203.0.113.${i % 250} port ${10000 + i} ssh2`));
  const { code, stdout: out, stderr } = await runVigilIntoSlowReader(['logtest', '--json'], { stdin: `${lines.join('\n')}\n` });
  assert.equal(code, 0, stderr);
  const printed = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { full_log?: string; log?: string });
  assert.equal(printed.length, lines.length, `every line arrives (stderr: ${stderr.slice(-500)})`);
  assert.ok(out.endsWith('\n'), 'the last line is complete');
});

test('`vigil alerts --json` piped to a slow reader delivers every alert complete and exits 0', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-piped-alerts-'));
  const dataDir = join(dir, 'data');
  const configFile = writeConfigFile(dir, { dataDir });
  // Indexed through the indexer's own store: several hundred alerts, far more than a pipe holds (64 KiB).
  const total = 600;
  const store = new SqliteAlertStore(join(dataDir, 'vigil.db'));
  store.write(Array.from({ length: total }, (_, i) => sshAlert(i, { at: Date.now() - (total - i) * 1000 })));
  store.close();

  const { code, stdout, stderr } = await runVigilIntoSlowReader(['alerts', '--json', '--limit', '1000'], { env: { VIGIL_CONFIG: configFile } });
  assert.equal(code, 0, stderr);
  assert.ok(stdout.endsWith('\n'), `the last alert is complete (${stdout.length} bytes read)`);
  const alerts = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; rule: { id: string } });
  assert.equal(alerts.length, total, `every alert arrives (stderr: ${stderr.slice(-500)})`);
  assert.equal(new Set(alerts.map((a) => a.id)).size, total, 'each one once');
  assert.ok(alerts.every((a) => a.rule.id === '5710'));
  assert.ok(stdout.length > 256 * 1024, `more output than a pipe holds (${stdout.length} bytes), or the test proves nothing`);
});
