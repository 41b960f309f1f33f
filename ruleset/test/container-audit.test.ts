/**
 * From the node to the alert: an audit event of a shell run by `kubectl exec -it` in a pod, read by the collector on
 * a fixture node (/proc and the kubelet's log directories), decoded and evaluated by the real engines, is one alert
 * that names the pod.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawEvent } from '@vigil/common';
import { Accumulator, decodeEvent } from '@vigil/decoder';
import { evaluateEvent, newEngineState } from '@vigil/rule-engine';
import { ContainerLookup } from '../../services/collector/src/adapters/container-lookup.ts';
import { AuditAssembler } from '../../services/collector/src/core/audit/audit-event.ts';
import { parseAuditRecord } from '../../services/collector/src/core/audit/audit-record.ts';
import { buildEvent } from '../../services/collector/src/core/raw-event.ts';
import { auditDraft } from '../../services/collector/src/sources/audit-log.ts';
import { loadRuleset, VIGIL_RULESET } from './ruleset-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-node-alert-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ID = '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b';
const UID = '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';

function node(capEff: string, mounts: string): ContainerLookup {
  const root = mkdtempSync(join(dir, 'n-'));
  mkdirSync(join(root, 'proc', '31337'), { recursive: true });
  writeFileSync(join(root, 'proc', '31337', 'cgroup'), `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope\n`);
  writeFileSync(join(root, 'proc', '31337', 'status'), `Name:\tbash\nCapEff:\t${capEff}\n`);
  writeFileSync(join(root, 'proc', '31337', 'mountinfo'), mounts);
  mkdirSync(join(root, 'log', 'containers'), { recursive: true });
  writeFileSync(join(root, 'log', 'containers', `payments-5c7d9b-qx2lp_finance_app-${ID}.log`), '');
  mkdirSync(join(root, 'log', 'pods', `finance_payments-5c7d9b-qx2lp_${UID}`), { recursive: true });
  return new ContainerLookup({ procDir: join(root, 'proc'), containerLogDir: join(root, 'log', 'containers'), podLogDir: join(root, 'log', 'pods') });
}

/** `kubectl exec -it payments-... -- bash` as auditd writes it. */
const AUDIT_LINES = [
  'type=SYSCALL msg=audit(1767700000.250:90210): arch=c000003e syscall=59 success=yes exit=0 a0=5611 a1=5612 a2=5613 a3=0 items=2 ppid=31300 pid=31337 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=4294967295 comm="bash" exe="/usr/bin/bash" key="exec"',
  'type=EXECVE msg=audit(1767700000.250:90210): argc=1 a0="bash"',
  'type=CWD msg=audit(1767700000.250:90210): cwd="/app"',
  'type=EOE msg=audit(1767700000.250:90210): ',
];

const ruleset = loadRuleset([VIGIL_RULESET]);

function alertFor(lookup: ContainerLookup) {
  const assembler = new AuditAssembler();
  const events = AUDIT_LINES.flatMap((l) => assembler.push(parseAuditRecord(l) as NonNullable<ReturnType<typeof parseAuditRecord>>));
  assert.equal(events.length, 1);
  const raw: RawEvent = buildEvent({ id: 'node-7', name: 'node-7' }, 1, auditDraft(events[0] as (typeof events)[number], lookup), new Date('2026-12-06T10:00:00Z'));
  const decoded = decodeEvent(raw, { partitions: 1, now: new Date('2026-12-06T10:00:01Z'), decoders: ruleset.decoders, accumulator: new Accumulator() });
  return evaluateEvent(ruleset.rules, newEngineState(), decoded, { managerName: 'vigil-test', now: Date.parse('2026-12-06T10:00:01Z') });
}

test('an interactive shell in a pod, on a fixture node: one alert naming the pod', () => {
  const result = alertFor(node('00000000a80425fb', '1 0 0:312 / / rw - overlay overlay rw\n'));
  assert.equal(result.ruleId, '200434');
  assert.equal(result.level, 12);
  assert.equal(result.ruleOutput?.description, 'auditd: interactive shell bash started in pod finance/payments-5c7d9b-qx2lp (a terminal: kubectl exec -it or attach).');
});

test('the same shell in a privileged pod, or one with the runtime socket mounted, says so', () => {
  assert.equal(alertFor(node('000001ffffffffff', '1 0 0:312 / / rw - overlay overlay rw\n')).ruleOutput?.description, 'auditd: shell bash started in privileged pod finance/payments-5c7d9b-qx2lp (CAP_SYS_ADMIN): one step from the node.');
  const socket = alertFor(node('00000000a80425fb', '1 0 0:312 / / rw - overlay overlay rw\n2 1 0:25 /containerd/containerd.sock /run/containerd/containerd.sock rw - tmpfs tmpfs rw\n'));
  assert.equal(socket.ruleId, '200437');
  assert.match(socket.ruleOutput?.description ?? '', /pod finance\/payments-5c7d9b-qx2lp, which has the container runtime socket mounted \(\/run\/containerd\/containerd.sock\)/);
});
