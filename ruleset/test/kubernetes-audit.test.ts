/**
 * Kubernetes audit rules beyond the .ini cases.
 *
 * Trust in the Kubernetes audit rules is explicit and overridable: a ruleset loaded before Vigil's with a list of the
 * same name replaces the built-in list (docs/ruleset.md, "Kubernetes: attack techniques, audit levels and trust"),
 * and what it trusts cannot be borrowed by another identity or another workload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubernetesAuditIni, KUBERNETES_AUDIT_INI } from './kubernetes-audit-cases.ts';
import { casesOf, type RulesetCase } from './ruleset-cases.ts';
import { loadRuleset, runCase, VIGIL_RULESET, type LoadedRuleset } from './ruleset-harness.ts';

type Obj = Record<string, unknown>;

function podCreate(user: string, ns: string, metadata: Obj, spec: Obj): string {
  const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { namespace: ns, ...metadata }, spec };
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: '7f0c2d1e-0a1b-4c2d-8e3f-405162738495',
    stage: 'ResponseComplete', requestURI: `/api/v1/namespaces/${ns}/pods`, verb: 'create',
    user: { username: user, groups: ['system:serviceaccounts', 'system:authenticated'] }, sourceIPs: ['10.0.0.10'],
    userAgent: 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3968350', objectRef: { resource: 'pods', namespace: ns, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 }, requestObject: pod,
    responseObject: { ...pod, metadata: { ...pod.metadata, name: `${String(metadata['generateName'] ?? metadata['name'])}x7k2p`, uid: '11111111-2222-4333-8444-555555555555' } },
    requestReceivedTimestamp: '2026-01-05T10:12:01.123456Z', stageTimestamp: '2026-01-05T10:12:01.223456Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  });
}

const DS_CONTROLLER = 'system:serviceaccount:kube-system:daemon-set-controller';
const CAINJECTOR = 'system:serviceaccount:cert-manager:cert-manager-cainjector';
function webhookPatch(user: string): string {
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: '3c1d2e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5', stage: 'ResponseComplete',
    requestURI: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/cert-manager-webhook', verb: 'patch',
    user: { username: user, groups: ['system:authenticated'] }, sourceIPs: ['10.0.1.23'], userAgent: 'cainjector/v1.14.4',
    objectRef: { resource: 'mutatingwebhookconfigurations', name: 'cert-manager-webhook', apiGroup: 'admissionregistration.k8s.io', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 }, requestReceivedTimestamp: '2026-01-05T10:12:01.123456Z', stageTimestamp: '2026-01-05T10:12:01.223456Z',
  });
}
const owner = (name: string) => ({ generateName: `${name}-`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: 'a1', controller: true, blockOwnerDeletion: true }] });
const kubeProxySpec = {
  hostNetwork: true,
  containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.30.2', securityContext: { privileged: true } }],
  volumes: [{ name: 'lib-modules', hostPath: { path: '/lib/modules' } }],
};

function outcome(ruleset: LoadedRuleset, line: string) {
  const c: RulesetCase = { file: 'trust', section: 'trust', key: 'log 1 pass', expect: 'pass', lines: [line], rule: '', level: '', decoder: '', kind: 'log', location: 'stdin' };
  return runCase(ruleset, c);
}

test('a local list replaces the built-in one: a trusted workload as its controller creates it, an allowed registry, a trusted webhook writer', (t) => {
  const local = mkdtempSync(join(tmpdir(), 'vigil-local-ruleset-'));
  t.after(() => rmSync(local, { recursive: true, force: true }));
  mkdirSync(join(local, 'lists'));
  writeFileSync(join(local, 'lists', 'vigil-k8s-trusted-workloads'), `"${DS_CONTROLLER} kube-system/DaemonSet/kube-proxy":kube-proxy, reviewed\n`);
  writeFileSync(join(local, 'lists', 'vigil-k8s-allowed-registries'), 'registry.k8s.io:Kubernetes\nregistry.example.com:our images\n');
  writeFileSync(join(local, 'lists', 'vigil-k8s-trusted-webhook-writers'), `"${CAINJECTOR}":rewrites caBundle\n`);
  const builtin = loadRuleset([VIGIL_RULESET]);
  const tuned = loadRuleset([local, VIGIL_RULESET]);
  assert.deepEqual([tuned.errors, tuned.warnings], [[], []]);

  const kubeProxyPod = podCreate(DS_CONTROLLER, 'kube-system', owner('kube-proxy'), kubeProxySpec);
  assert.equal(outcome(builtin, kubeProxyPod).rule, '200707', 'built in: a privileged pod is judged, whoever creates it');
  assert.equal(outcome(tuned, kubeProxyPod).rule, '200700', 'tuned: kube-proxy as its DaemonSet controller creates it');

  const forged = podCreate('system:serviceaccount:kube-system:default', 'kube-system', owner('kube-proxy'), kubeProxySpec);
  assert.equal(outcome(tuned, forged).rule, '200707', 'the same owner claimed by another identity is judged');
  const otherDaemonSet = podCreate(DS_CONTROLLER, 'kube-system', owner('node-agent'), kubeProxySpec);
  assert.equal(outcome(tuned, otherDaemonSet).rule, '200707', 'another DaemonSet of the same controller is judged');

  const ours = podCreate(DS_CONTROLLER, 'shop', owner('api'), { containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.4' }] });
  assert.equal(outcome(builtin, ours).rule, '200725');
  assert.equal(outcome(tuned, ours).rule, '200700');

  assert.equal(outcome(builtin, webhookPatch(CAINJECTOR)).rule, '200745');
  assert.equal(outcome(tuned, webhookPatch(CAINJECTOR)).rule, '200700', 'tuned: the injector may rewrite the caBundle');
  assert.equal(outcome(tuned, webhookPatch('alice')).rule, '200745', 'anyone else is still reported');
});

test("every Kubernetes audit rule's must-match and must-not-match cases hold events in the API server's key order and in another one", () => {
  const { cases } = casesOf('kubernetes-audit.ini', readFileSync(join(VIGIL_RULESET, 'tests', 'kubernetes-audit.ini'), 'utf8'));
  const API_ORDER = ['kind', 'apiVersion', 'level', 'auditID', 'stage'];
  const orderOf = (line: string): 'api' | 'other' | 'not-an-event' => {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return 'not-an-event';
    }
    if (o === null || typeof o !== 'object' || !('auditID' in o)) return 'not-an-event';
    return Object.keys(o).slice(0, 5).join() === API_ORDER.join() ? 'api' : 'other';
  };
  const missing: string[] = [];
  const xml = readFileSync(join(VIGIL_RULESET, 'rules', '0700-kubernetes-audit.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  // 200721 is about lines that are not audit events; 200700 has no condition to miss.
  const ids = [...xml.matchAll(/<rule id="(\d+)"/g)].map((m) => m[1] as string).filter((id) => id !== '200721' && id !== '200700');
  for (const id of ids) {
    for (const expect of ['pass', 'fail'] as const) {
      const orders = new Set(cases.filter((c) => c.rule === id && c.expect === expect).map((c) => orderOf(c.lines.at(-1) as string)));
      for (const want of ['api', 'other'] as const) if (!orders.has(want)) missing.push(`rule ${id}: no ${expect} case in ${want === 'api' ? "the API server's" : 'another'} key order`);
    }
  }
  assert.ok(ids.length >= 45, `${ids.length} rules read`);
  assert.deepEqual(missing, []);
});

test('ruleset/tests/kubernetes-audit.ini is what kubernetes-audit-cases.ts generates (edit the cases there, then --write)', () => {
  assert.equal(readFileSync(KUBERNETES_AUDIT_INI, 'utf8'), kubernetesAuditIni());
});
