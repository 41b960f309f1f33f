import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertTags, complianceOf, indexingProblem, parseAlertTime, toAlertRow } from './alert-row.ts';
import { fimChangeOf } from './fim-change.ts';
import { scaResultOf } from './sca-result.ts';
import { retentionCutoff } from './retention.ts';
import { fimAlert, scaCheckAlert, scaSummaryAlert, sshAlert, T0 } from '../../test/alert-fixtures.ts';

test('Wazuh timestamps (+hhmm) and ISO times parse to epoch ms', () => {
  assert.equal(parseAlertTime('2024-05-10T12:00:00.000+0000'), T0);
  assert.equal(parseAlertTime('2024-05-10T14:00:00.000+0200'), T0);
  assert.equal(parseAlertTime('2024-05-10T12:00:00Z'), T0);
  assert.ok(Number.isNaN(parseAlertTime('yesterday')));
  assert.match(indexingProblem(sshAlert(1, { timestamp: 'yesterday' })) ?? '', /field 'timestamp'/);
  assert.equal(indexingProblem(sshAlert(1)), undefined);
});

test('the row: indexed columns, groups and compliance between commas', () => {
  const a = sshAlert(1);
  const { json, ...row } = toAlertRow(a);
  assert.deepEqual(row, {
    id: a.id,
    timestamp: a.timestamp,
    epoch_ms: T0 + 1000,
    level: 5,
    rule_id: '5710',
    agent_id: '001',
    agent_name: 'web01',
    groups: ',syslog,sshd,authentication_failed,invalid_login,',
    compliance: ',pci_dss:10.2.4,pci_dss:10.2.5,gdpr:IV_35.7.d,',
    description: a.rule.description,
    location: '/var/log/auth.log',
    full_log: a.full_log,
  });
  assert.deepEqual(JSON.parse(json), a);
  assert.deepEqual(complianceOf(a), ['pci_dss:10.2.4', 'pci_dss:10.2.5', 'gdpr:IV_35.7.d']);
  assert.deepEqual(alertTags(a), ['group:syslog', 'group:sshd', 'group:authentication_failed', 'group:invalid_login', 'pci_dss:10.2.4', 'pci_dss:10.2.5', 'gdpr:IV_35.7.d', 'mitre:T1110.001']);
});

test('FIM: the after-state, the before-state and the changed attributes of a syscheck alert', () => {
  const a = fimAlert(1, '/etc/passwd', 'modified', { size: '20', md5: 'b', before: { size: '10', md5: 'a' } });
  assert.deepEqual(fimChangeOf(a), {
    agentId: '001',
    path: '/etc/passwd',
    event: 'modified',
    epochMs: T0 + 1000,
    alertId: a.id,
    state: { size: '20', md5: 'b', perm: 'rw-r--r--', mode: 'realtime' },
    before: { size: '10', md5: 'a' },
    changedAttributes: ['size', 'md5'],
  });
  assert.equal(fimChangeOf(sshAlert(1)), undefined);
});

test('SCA: check results and scan summaries', () => {
  const check = scaCheckAlert(1, '007', '1001', 'failed');
  assert.deepEqual(scaResultOf(check), {
    kind: 'check',
    agentId: '007',
    policyId: 'cis_debian12',
    epochMs: T0 + 1000,
    alertId: check.id,
    policy: 'CIS Debian 12',
    checkId: '1001',
    title: 'Check 1001',
    result: 'failed',
    check: { id: '1001', title: 'Check 1001', result: 'failed', compliance: { cis: ['1.1.1'] } },
  });
  const summary = scaSummaryAlert(2, '007', 30, 10);
  assert.deepEqual(scaResultOf(summary), {
    kind: 'summary',
    agentId: '007',
    policyId: 'cis_debian12',
    epochMs: T0 + 2000,
    alertId: summary.id,
    name: 'CIS Debian 12',
    scanId: '42',
    passed: 30,
    failed: 10,
    invalid: 0,
    totalChecks: 40,
    score: 75,
  });
  assert.equal(scaResultOf(sshAlert(1)), undefined);
});

test('retention cutoff: now minus the age; 0 keeps everything', () => {
  assert.equal(retentionCutoff(T0, 2), T0 - 2 * 86_400_000);
  assert.equal(retentionCutoff(T0, 0.5), T0 - 43_200_000);
  assert.equal(retentionCutoff(T0, 0), undefined);
});
