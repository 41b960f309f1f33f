import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Value } from '@sinclair/typebox/value';
import { createLogger } from '@vigil/common';
import { fixtureHost, makeRoot } from './fixture-host.ts';
import { ScaConfig } from './sca-config.ts';
import type { ScaCheckPayload, ScaPayload, ScaSummaryPayload } from './sca-payload.ts';
import { hostFromConfig, startScaScanner } from './sca-scanner.ts';

const POLICY = `policy:
  id: "vigil_test"
  file: "vigil_test.yml"
  name: "Vigil test policy"
  description: "Two checks on SSH"
  references: ["https://example.org/a", "https://example.org/b"]
checks:
  - id: 9001
    title: "Root cannot log in over SSH"
    description: "PermitRootLogin no."
    rationale: "Attackers try root first."
    remediation: "Set PermitRootLogin no in /etc/ssh/sshd_config."
    compliance:
      - cis: ["5.2.7"]
      - pci_dss_v4.0: ["2.2.6", "8.2.1"]
    references: ["https://man.openbsd.org/sshd_config"]
    condition: all
    rules:
      - 'f:/etc/ssh/sshd_config -> r:^\\s*PermitRootLogin\\s+no'
  - id: 9002
    title: "SSH protocol 2 only"
    condition: none
    rules:
      - 'f:/etc/ssh/sshd_config -> r:^\\s*Protocol\\s+1'
`;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sca-scanner-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'vigil_test.yml'), POLICY);
  writeFileSync(join(dir, 'broken.yml'), 'policy: [\n');
  const root = makeRoot({ '/etc/ssh/sshd_config': 'PermitRootLogin no\nProtocol 2\n' });
  dirs.push(root.path);
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }) });
  const config = Value.Default(ScaConfig, { policies: [dir], scanOnStart: false }) as ScaConfig;
  const published: ScaPayload[][] = [];
  const times = [1_700_000_000_000, 1_700_000_000_500, 1_700_000_100_000, 1_700_000_100_700, 1_700_000_200_000, 1_700_000_200_900, 1_700_000_300_000, 1_700_000_300_400];
  let tick = 0;
  const make = () =>
    startScaScanner({
      config,
      publish: async (p) => void published.push(p),
      logger,
      stateDir: join(dir, 'state'),
      host: fixtureHost(root),
      now: () => new Date(times[tick++ % times.length] as number),
    });
  return { dir, root, logs, published, make };
}

const types = (batch: ScaPayload[] | undefined) => (batch ?? []).map((p) => (p.sca.type === 'check' ? `check ${p.sca.check.id} ${p.sca.check.result}` : 'summary'));

test('first scan reports every check and a summary; an unchanged scan only the summary; a change exactly one event', async () => {
  const { root, logs, published, make } = setup();
  const scanner = make();
  try {
    await scanner.scanNow();
    assert.deepEqual(types(published[0]), ['check 9001 passed', 'check 9002 passed', 'summary']);
    assert.match(logs.join(''), /broken\.yml:2:1: invalid YAML/);

    await scanner.scanNow();
    assert.deepEqual(types(published[1]), ['summary']);

    root.write({ '/etc/ssh/sshd_config': 'PermitRootLogin yes\nProtocol 2\n' });
    await scanner.scanNow();
    assert.equal(published.length, 3);
    const [change, summary] = published[2] as [ScaCheckPayload, ScaSummaryPayload];
    assert.equal(published[2]?.length, 2, 'exactly one change event, then the summary');
    assert.deepEqual(change, {
      sca: {
        type: 'check',
        scan_id: '1700000200000',
        policy: 'Vigil test policy',
        policy_id: 'vigil_test',
        check: {
          id: '9001',
          title: 'Root cannot log in over SSH',
          description: 'PermitRootLogin no.',
          rationale: 'Attackers try root first.',
          remediation: 'Set PermitRootLogin no in /etc/ssh/sshd_config.',
          compliance: { cis: '5.2.7', 'pci_dss_v4.0': '2.2.6,8.2.1' },
          references: 'https://man.openbsd.org/sshd_config',
          condition: 'all',
          file: ['/etc/ssh/sshd_config'],
          result: 'failed',
          previous_result: 'passed',
        },
      },
    });
    assert.deepEqual(summary, {
      sca: {
        type: 'summary',
        scan_id: '1700000200000',
        policy: 'Vigil test policy',
        policy_id: 'vigil_test',
        description: 'Two checks on SSH',
        file: 'vigil_test.yml',
        references: 'https://example.org/a,https://example.org/b',
        passed: '1',
        failed: '1',
        invalid: '0',
        total_checks: '2',
        score: '50',
        start_time: '1700000200',
        end_time: '1700000200',
        failed_checks: [{ id: '9001', title: 'Root cannot log in over SSH' }],
      },
    });
  } finally {
    await scanner.stop();
  }
});

test('a restarted scanner reports only what changed while it was down', async () => {
  const { root, published, make } = setup();
  const first = make();
  await first.scanNow();
  await first.stop();
  assert.deepEqual(types(published[0]), ['check 9001 passed', 'check 9002 passed', 'summary']);

  root.remove('/etc/ssh/sshd_config');
  const second = make();
  try {
    await second.scanNow();
    assert.deepEqual(types(published[1]), ['check 9001 not applicable', 'check 9002 not applicable', 'summary']);
    const check = published[1]?.[0] as ScaCheckPayload;
    assert.equal(check.sca.check.reason, "Could not open file '/etc/ssh/sshd_config'");
    assert.equal(check.sca.check.previous_result, 'passed');
  } finally {
    await second.stop();
  }
});

test('the scanner scans once on start, then waits for its interval', async () => {
  const { dir, root, published } = setup();
  const config = Value.Default(ScaConfig, { policies: [dir], scanOnStart: true, intervalSeconds: 60 }) as ScaConfig;
  const scanner = startScaScanner({ config, publish: async (p) => void published.push(p), logger: createLogger({ level: 'silent' }), host: fixtureHost(root) });
  try {
    for (let i = 0; i < 100 && published.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(published.length, 1, 'one scan at start, the next one a minute later');
  } finally {
    await scanner.stop();
  }
});

test('the SCA config fills its defaults and rejects unknown keys', () => {
  const config = Value.Default(ScaConfig, {}) as ScaConfig;
  assert.ok(Value.Check(ScaConfig, config));
  assert.deepEqual(config, {
    enabled: true,
    policies: ['builtin'],
    disabledPolicies: [],
    intervalSeconds: 43200,
    scanOnStart: true,
    rootDir: '/',
    commands: { enabled: true, timeoutSeconds: 30, wrapper: [], maxOutputBytes: 1048576 },
    stateFile: 'sca-results.json',
  });
  assert.equal(Value.Check(ScaConfig, { ...config, intervall: 5 }), false);
});

test('under a root other than /, commands need a wrapper: without one they are not applicable, with the reason', async () => {
  const config = Value.Default(ScaConfig, { rootDir: '/host' }) as ScaConfig;
  const outcome = await hostFromConfig(config).commands.run('sysctl kernel.randomize_va_space');
  assert.deepEqual(outcome, {
    kind: 'disabled',
    reason: "Commands would run in the collector's own environment, not on the host under /host: set sca.commands.wrapper (e.g. ['chroot', '/host'])",
  });
  const off = Value.Default(ScaConfig, { commands: { enabled: false } }) as ScaConfig;
  assert.equal((await hostFromConfig(off).commands.run('true')).kind, 'disabled');
  const wrapped = Value.Default(ScaConfig, { rootDir: '/', commands: { wrapper: ['env'] } }) as ScaConfig;
  assert.deepEqual(await hostFromConfig(wrapped).commands.run('echo ok'), { kind: 'exited', exitCode: 0, output: 'ok\n' });
});
