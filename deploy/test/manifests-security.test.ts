import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason, OVERLAYS, renderOverlay, type KubeObject } from './kustomize.ts';
import { allContainers, VIGIL_SERVICES, workloads, type Workload } from './workloads.ts';

/** The collector's only added capabilities: reading host files, and who-data's audit rules and records. */
const COLLECTOR_CAPABILITIES = ['AUDIT_CONTROL', 'AUDIT_READ', 'DAC_READ_SEARCH'];
/** Its one writable host directory: the spool and offsets, which must outlive the pod. */
const COLLECTOR_STATE = { hostPath: '/var/lib/vigil-collector', mountPath: '/var/lib/vigil' };

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

for (const overlay of OVERLAYS) {
  const rendered = (t: { skip(reason: string): void }): KubeObject[] | undefined => {
    const skip = kubectlSkipReason();
    if (skip) {
      t.skip(skip);
      return undefined;
    }
    return renderOverlay(overlay);
  };

  test(`overlay ${overlay}: one workload per service plus NATS`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    const byComponent = new Map(workloads(objects).map((w) => [w.component, w.object.kind]));
    assert.deepEqual(Object.fromEntries(byComponent), {
      nats: 'StatefulSet',
      collector: 'DaemonSet',
      decoder: 'Deployment',
      'rule-engine': 'StatefulSet',
      indexer: 'Deployment',
      notifier: 'Deployment',
      responder: 'Deployment',
    });
  });

  test(`overlay ${overlay}: containers run non-root, read-only, without privilege escalation, with resource requests`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    for (const w of workloads(objects)) {
      const where = `${w.object.kind} ${w.object.metadata.name}`;
      const collector = w.component === 'collector';
      assert.equal(w.pod.hostNetwork ?? false, false, `${where}: hostNetwork`);
      assert.equal(w.pod.hostIPC ?? false, false, `${where}: hostIPC`);
      assert.equal(w.pod.hostPID ?? false, collector, `${where}: hostPID only for the collector (who-data's audit netlink)`);
      assert.equal(w.pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${where}: seccomp`);
      if (collector) {
        assert.equal(w.pod.securityContext?.runAsUser, 0, `${where}: the collector reads host files as root, with capabilities cut down`);
      } else {
        assert.equal(w.pod.securityContext?.runAsNonRoot, true, `${where}: runAsNonRoot`);
        assert.ok((w.pod.securityContext?.runAsUser ?? 0) > 0, `${where}: numeric non-root runAsUser`);
      }
      for (const c of allContainers(w.pod)) {
        const at = `${where} container ${c.name}`;
        const sc = c.securityContext ?? {};
        assert.notEqual(sc.privileged, true, `${at}: privileged`);
        assert.equal(sc.allowPrivilegeEscalation, false, `${at}: allowPrivilegeEscalation`);
        assert.equal(sc.readOnlyRootFilesystem, true, `${at}: readOnlyRootFilesystem`);
        assert.deepEqual(sc.capabilities?.drop, ['ALL'], `${at}: drops every capability`);
        assert.deepEqual([...(sc.capabilities?.add ?? [])].sort(), collector ? COLLECTOR_CAPABILITIES : [], `${at}: added capabilities`);
        assert.ok(c.resources?.requests?.['cpu'], `${at}: cpu request`);
        assert.ok(c.resources?.requests?.['memory'], `${at}: memory request`);
        assert.ok(c.resources?.limits?.['memory'], `${at}: memory limit`);
        assert.ok(c.startupProbe && c.livenessProbe && c.readinessProbe, `${at}: startup, liveness and readiness probes`);
      }
    }
  });

  test(`overlay ${overlay}: host paths only in the collector, read-only under /host (and its state directory)`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    for (const w of workloads(objects)) {
      const hostVolumes = new Map((w.pod.volumes ?? []).filter((v) => v.hostPath).map((v) => [v.name, v.hostPath?.path as string]));
      if (w.component !== 'collector') {
        assert.deepEqual([...hostVolumes.keys()], [], `${w.object.metadata.name}: no hostPath volume`);
        continue;
      }
      const mounts = allContainers(w.pod).flatMap((c) => c.volumeMounts ?? []).filter((m) => hostVolumes.has(m.name));
      const seen = new Map<string, string>();
      for (const m of mounts) {
        const hostPath = hostVolumes.get(m.name) as string;
        seen.set(hostPath, m.mountPath);
        if (hostPath === COLLECTOR_STATE.hostPath) {
          assert.equal(m.mountPath, COLLECTOR_STATE.mountPath, 'the state directory is mounted as the data directory');
          continue;
        }
        assert.equal(m.readOnly, true, `host ${hostPath} must be mounted read-only`);
        assert.equal(m.mountPath, `/host${hostPath}`, `host ${hostPath} must appear at /host${hostPath}`);
      }
      assert.deepEqual(Object.fromEntries(seen), {
        '/var/lib/vigil-collector': '/var/lib/vigil',
        '/var/log': '/host/var/log',
        '/etc': '/host/etc',
        '/var/lib/kubelet/config.yaml': '/host/var/lib/kubelet/config.yaml',
      });
    }
  });

  test(`overlay ${overlay}: the collector runs on every node, control-plane included`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    const collector = workloads(objects).find((w) => w.component === 'collector') as Workload;
    const tolerations = collector.pod.tolerations ?? [];
    assert.ok(
      tolerations.some((x) => x.key === 'node-role.kubernetes.io/control-plane' && x.operator === 'Exists' && x.effect === 'NoSchedule'),
      'tolerates the control-plane taint',
    );
    assert.ok(tolerations.some((x) => x.key === undefined && x.operator === 'Exists' && x.effect === undefined), 'tolerates every taint');
    assert.equal((collector.object['spec'] as { template: { spec: { nodeSelector?: unknown } } }).template.spec.nodeSelector, undefined);
  });

  test(`overlay ${overlay}: least privilege for the API: own ServiceAccounts, no token, no RBAC grants`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name));
    for (const o of objects.filter((x) => x.kind === 'ServiceAccount')) assert.equal(o['automountServiceAccountToken'], false, o.metadata.name);
    for (const w of workloads(objects)) {
      assert.equal(w.pod.serviceAccountName, `vigil-${w.component}`, `${w.object.metadata.name}: its own ServiceAccount`);
      assert.ok(accounts.has(w.pod.serviceAccountName as string));
      assert.equal(w.pod.automountServiceAccountToken, false, `${w.object.metadata.name}: no API token mounted`);
    }
    const grants = objects.filter((o) => /^(Cluster)?Role(Binding)?$/.test(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(grants, [], 'no service calls the Kubernetes API, so nothing is granted');
  });

  test(`overlay ${overlay}: only Vigil's services may reach NATS`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const deny = policies.find((p) => JSON.stringify((p['spec'] as { podSelector: unknown }).podSelector) === '{}');
    assert.ok(deny, 'a default-deny policy for the namespace');
    assert.deepEqual((deny['spec'] as { policyTypes: string[] }).policyTypes, ['Ingress', 'Egress']);
    assert.equal((deny['spec'] as { ingress?: unknown }).ingress, undefined);

    const natsLabels = workloads(objects).find((w) => w.component === 'nats')?.podLabels as Record<string, string>;
    type Rule = { from?: Array<{ podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown; ipBlock?: unknown }>; ports?: Array<{ port: number }> };
    const natsIngress = policies
      .filter((p) => selects((p['spec'] as { podSelector: { matchLabels?: Record<string, string> } }).podSelector.matchLabels ?? {}, natsLabels))
      .flatMap((p) => ((p['spec'] as { ingress?: Rule[] }).ingress ?? []));
    const clientRules = natsIngress.filter((r) => (r.ports ?? []).some((p) => p.port === 4222));
    assert.ok(clientRules.length > 0);
    for (const rule of clientRules) {
      assert.ok(rule.from && rule.from.length > 0, 'no rule opens 4222 to everyone');
      for (const peer of rule.from) {
        assert.equal(peer.namespaceSelector, undefined, 'no other namespace');
        assert.equal(peer.ipBlock, undefined, 'no address range');
        assert.ok(peer.podSelector?.matchLabels, 'a pod selector');
      }
    }
    // Who matches those selectors: exactly the five services and NATS itself.
    const allowed = workloads(objects)
      .filter((w) => clientRules.some((r) => (r.from ?? []).some((p) => selects(p.podSelector?.matchLabels ?? {}, w.podLabels))))
      .map((w) => w.component)
      .sort();
    assert.deepEqual(allowed, [...VIGIL_SERVICES, 'nats'].sort());
  });

  test(`overlay ${overlay}: disruption budgets and autoscalers where they belong`, (t) => {
    const objects = rendered(t);
    if (!objects) return;
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const w of workloads(objects).filter((x) => x.object.kind !== 'DaemonSet')) {
      const covering = budgets.filter((b) => selects((b['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, w.podLabels));
      assert.equal(covering.length, 1, `${w.object.metadata.name}: one PodDisruptionBudget`);
      assert.equal((covering[0]?.['spec'] as { maxUnavailable?: number }).maxUnavailable, 1);
    }
    const targets = objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => (o['spec'] as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef);
    for (const target of targets) {
      assert.equal(target.kind, 'Deployment', 'only stateless Deployments are autoscaled');
      assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === target.name), `${target.name} exists`);
      assert.notEqual(target.name, 'vigil-notifier', 'the notifier is bound by the Slack rate limit, not CPU');
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === target.name) as KubeObject;
      assert.equal((deployment['spec'] as { replicas?: number }).replicas, undefined, `${target.name}: replicas left to the autoscaler`);
    }
    assert.ok(targets.some((x) => x.name === 'vigil-decoder'), 'the decoder is autoscaled');
  });
}
