import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Alert } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { openAlertsReadOnly } from '@vigil/indexer';
import { startServices } from '../../src/services.ts';
import { testConfig, testConfigDocument } from '../harness.ts';
import { scaCommand } from '../../src/commands/sca.ts';

const nats = useTestNats();
const PIPELINE = ['collector', 'decoder', 'rule-engine', 'indexer'] as const;

function alertsOf(dbPath: string): Alert[] {
  try {
    const reader = openAlertsReadOnly(dbPath);
    try {
      return reader.query({ limit: 1000 });
    } finally {
      reader.close();
    }
  } catch {
    return [];
  }
}

test('file integrity: an added and a modified file become alerts carrying Wazuh\'s syscheck object, and FIM state', { skip: nats.skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fim-e2e-'));
  const watched = join(dir, 'etc');
  mkdirSync(watched);
  writeFileSync(join(watched, 'existing.conf'), 'a=1\n');
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [] });
  (document['collector'] as Record<string, unknown>)['fim'] = { enabled: true, replaceDefaults: true, directories: [{ path: watched, realtime: true }], frequencySeconds: 3600 };
  const config = testConfig(document);
  const running = await startServices(PIPELINE, config, createLogger({ level: 'warn' }));
  try {
    await new Promise((r) => setTimeout(r, 1500)); // the baseline scan records silently
    writeFileSync(join(watched, 'new.conf'), 'secret=1\n');
    const added = await waitFor(() => alertsOf(config.indexer.sqlite.path).find((a) => a.rule.id === '200501'), 30_000, 'the file-added alert');
    assert.equal(added.location, 'syscheck');
    assert.deepEqual(added.decoder, { name: 'syscheck_new_entry' });
    const s = added.syscheck as Record<string, unknown>;
    assert.equal(s['path'], join(watched, 'new.conf'));
    assert.equal(s['event'], 'added');
    assert.equal(s['size_after'], '9');
    assert.match(String(s['md5_after']), /^[0-9a-f]{32}$/);
    assert.match(String(s['perm_after']), /^[r-][w-][x-][r-][w-][x-][r-][w-][x-]$/);
    assert.equal(added.data, undefined, 'FIM alerts carry syscheck, not data');
    assert.equal(added.rule.description, `FIM: file added: ${join(watched, 'new.conf')}.`);

    writeFileSync(join(watched, 'existing.conf'), 'a=2 changed\n');
    chmodSync(join(watched, 'existing.conf'), 0o600);
    const modified = await waitFor(
      () => alertsOf(config.indexer.sqlite.path).find((a) => a.rule.id === '200500' && (a.syscheck as Record<string, unknown>)['path'] === join(watched, 'existing.conf')),
      30_000,
      'the file-modified alert',
    );
    const m = modified.syscheck as Record<string, unknown>;
    assert.equal(m['event'], 'modified');
    assert.equal(m['size_before'], '4');
    assert.equal(m['size_after'], '12');
    assert.notEqual(m['md5_before'], m['md5_after']);
    assert.ok((m['changed_attributes'] as string[]).includes('size'));
    assert.ok((m['changed_attributes'] as string[]).includes('md5'));

    const reader = openAlertsReadOnly(config.indexer.sqlite.path);
    try {
      const state = reader.fimState('agent-1', join(watched, 'existing.conf'));
      assert.equal(state?.event, 'modified');
      assert.equal(state?.alertId, modified.id);
    } finally {
      reader.close();
    }
  } finally {
    await running.stop();
  }
});

const POLICY = `policy:
  id: "e2e_policy"
  file: "e2e.yml"
  name: "End-to-end policy"
  description: "One check on a fixture file"
checks:
  - id: 7001
    title: "Root cannot log in over SSH"
    description: "PermitRootLogin no."
    rationale: "Attackers try root first."
    remediation: "Set PermitRootLogin no."
    compliance:
      - cis: ["5.2.7"]
    condition: all
    rules:
      - 'f:/etc/ssh/sshd_config -> r:^\\s*PermitRootLogin\\s+no'
`;

test('SCA: a check whose result changes between two scans gives exactly one change event and one alert end to end', { skip: nats.skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sca-e2e-'));
  const root = join(dir, 'host');
  mkdirSync(join(root, 'etc', 'ssh'), { recursive: true });
  writeFileSync(join(root, 'etc', 'ssh', 'sshd_config'), 'PermitRootLogin no\n');
  writeFileSync(join(dir, 'e2e.yml'), POLICY);
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [] });
  (document['collector'] as Record<string, unknown>)['sca'] = { enabled: true, policies: [join(dir, 'e2e.yml')], rootDir: root, intervalSeconds: 3600 };
  const config = testConfig(document);
  const sca = (all: Alert[]) => all.filter((a) => a.rule.groups.includes('sca'));

  // First scan: every check is reported once (as Wazuh does), plus the summary.
  let running = await startServices(PIPELINE, config, createLogger({ level: 'warn' }));
  try {
    await waitFor(() => sca(alertsOf(config.indexer.sqlite.path)).some((a) => a.rule.id === '200554'), 30_000, 'the first scan summary');
  } finally {
    await running.stop();
  }
  const first = sca(alertsOf(config.indexer.sqlite.path));
  assert.deepEqual(first.map((a) => a.rule.id).sort(), ['200554'], 'a passing check alerts nothing; the summary is level 3');

  // The host changes; the next scan (here: on restart) reports that one check, once.
  writeFileSync(join(root, 'etc', 'ssh', 'sshd_config'), 'PermitRootLogin yes\n');
  running = await startServices(PIPELINE, config, createLogger({ level: 'warn' }));
  try {
    await waitFor(() => sca(alertsOf(config.indexer.sqlite.path)).filter((a) => a.rule.id === '200554').length === 2, 30_000, 'the second scan summary');
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    await running.stop();
  }
  const changes = sca(alertsOf(config.indexer.sqlite.path)).filter((a) => a.rule.id !== '200554');
  assert.equal(changes.length, 1, `one change alert, got ${changes.map((a) => a.rule.id).join(', ')}`);
  const change = changes[0] as Alert;
  assert.equal(change.rule.id, '200552');
  const data = change.data as { sca: { check: { id: string; result: string; previous_result: string }; policy_id: string } };
  assert.deepEqual([data.sca.policy_id, data.sca.check.id, data.sca.check.result, data.sca.check.previous_result], ['e2e_policy', '7001', 'failed', 'passed']);

  const lines: string[] = [];
  scaCommand(config, { agent: 'host-1' }, (l) => lines.push(l));
  assert.ok(lines.some((l) => l.includes('e2e_policy #7001  Root cannot log in over SSH')), lines.join('\n'));
});
