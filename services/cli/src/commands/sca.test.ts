import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@vigil/common';
import { SqliteAlertStore } from '@vigil/indexer';
import { scaCheckAlert, scaSummaryAlert } from '@vigil/indexer/testing';
import { VigilConfig } from '../config.ts';
import { resolveDataPaths } from '../paths.ts';
import { scaCommand } from './sca.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sca-cmd-'));
  const config = resolveDataPaths(loadConfig(VigilConfig, { document: { dataDir: dir } }));
  const store = new SqliteAlertStore(config.indexer.sqlite.path);
  store.write([
    scaSummaryAlert(1, '001', 40, 2),
    scaCheckAlert(2, '001', '1001', 'failed'),
    scaCheckAlert(3, '001', '1002', 'passed'),
    scaCheckAlert(4, '001', '1003', 'failed'),
    scaCheckAlert(5, '002', '1001', 'failed'),
  ]);
  store.close();
  return config;
}

test('`vigil sca --agent` lists the policy, its score and the failing checks of that agent', () => {
  const config = setup();
  const lines: string[] = [];
  assert.equal(scaCommand(config, { agent: 'web01' }, (l) => lines.push(l)), 0);
  assert.deepEqual(lines, [
    'SCA results for web01 (001)',
    '  cis_debian12  CIS Debian 12',
    `    score 95%  passed 40  failed 2  not applicable 0  (scan 42, ${lines[2]?.match(/, (.*)\)$/)?.[1]})`,
    '  failing checks (2):',
    '    cis_debian12 #1001  Check 1001',
    '    cis_debian12 #1003  Check 1003',
  ]);
});

test('--json gives the whole report; an unknown agent is a clear answer', () => {
  const config = setup();
  const out: string[] = [];
  scaCommand(config, { agent: '002', json: true }, (l) => out.push(l));
  const report = JSON.parse(out[0] ?? '{}') as { agentId: string; checks: Array<{ checkId: string; result: string }> };
  assert.equal(report.agentId, '002');
  assert.deepEqual(report.checks.map((c) => [c.checkId, c.result]), [['1001', 'failed']]);
  const missing: string[] = [];
  assert.equal(scaCommand(config, { agent: 'nope' }, (l) => missing.push(l)), 1);
  assert.match(missing[0] ?? '', /no agent 'nope' has reported alerts \(known: web01 \(001\), host-002 \(002\)\)/);
  assert.throws(() => scaCommand(config, {}, () => {}), /--agent/);
});
