import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDecoders } from '../load-decoders.ts';
import { decodeLog } from '../decode-log.ts';
import type { DecodedFields } from '../decoded-fields.ts';
import { addK8sAuditFields, normalizeHostPath, rbacGrants, registryOf } from './k8s-audit.ts';

type Obj = Record<string, unknown>;

function k8s(event: Obj | undefined): DecodedFields {
  const out: DecodedFields = {};
  addK8sAuditFields(event, out);
  return out;
}

function event(extra: Obj): Obj {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: '0d9c1f2a-1b2c-4d5e-8f90-a1b2c3d4e5f6',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/shop/pods',
    verb: 'create',
    user: { username: 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['198.51.100.4', '10.0.0.1'],
    objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    ...extra,
  };
}

const podSpec = (spec: Obj): Obj => ({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'shop' }, spec });

test('an audit event is recognised by its required fields, not by the order of its keys or by kind/apiVersion', () => {
  const e = event({});
  assert.equal(k8s(e)['k8s.audit'], 'event');
  const reversed = Object.fromEntries(Object.entries(e).reverse());
  assert.deepEqual(k8s(reversed), k8s(e));
  const { kind: _k, apiVersion: _a, ...bare } = e;
  assert.equal(k8s(bare)['k8s.audit'], 'event');
  assert.equal(k8s({ ...e, kind: 'EventList' })['k8s.audit'], 'not_an_event');
  const { user: _u, ...noUser } = e;
  assert.equal(k8s(noUser)['k8s.audit'], 'not_an_event');
  assert.deepEqual(k8s(undefined), { 'k8s.audit': 'invalid_json' });
});

test('readable names: source address without JSON array, target with namespace, generateName pods named from the response or with an ellipsis', () => {
  const f = k8s(event({ requestObject: { kind: 'Pod', metadata: { generateName: 'web-7d9f-' }, spec: { containers: [] } } }));
  assert.equal(f['k8s.source_ip'], '198.51.100.4');
  assert.equal(f['k8s.source_ips'], '198.51.100.4,10.0.0.1');
  assert.equal(f['k8s.name'], 'web-7d9f-…');
  assert.equal(f['k8s.target'], 'shop/web-7d9f-…');
  const named = k8s(event({
    requestObject: { kind: 'Pod', metadata: { generateName: 'web-7d9f-' }, spec: { containers: [] } },
    responseObject: { kind: 'Pod', metadata: { name: 'web-7d9f-x2kq', namespace: 'shop' }, spec: { containers: [] } },
  }));
  assert.equal(named['k8s.target'], 'shop/web-7d9f-x2kq');
  assert.equal(k8s(event({ verb: 'list', objectRef: { resource: 'secrets' } }))['k8s.target'], 'cluster-wide');
  assert.equal(k8s(event({ verb: 'list', objectRef: { resource: 'secrets', namespace: 'shop' } }))['k8s.target'], 'namespace shop');
});

test('pod facts: privileged, capabilities, host namespaces, normalised hostPaths, root with escalation, registries, over all container lists', () => {
  const f = k8s(event({
    requestObject: podSpec({
      hostPID: true,
      hostNetwork: false,
      securityContext: { runAsUser: 0 },
      volumes: [{ name: 'a', hostPath: { path: '/etc/' } }, { name: 'b', hostPath: { path: '//var/./log' } }, { name: 'c', emptyDir: {} }],
      initContainers: [{ name: 'init', image: 'busybox', securityContext: { privileged: true } }],
      containers: [
        { name: 'app', image: 'registry.example/shop/api:1.0', securityContext: { capabilities: { add: ['cap_sys_admin', 'NET_BIND_SERVICE'] }, allowPrivilegeEscalation: false } },
        { name: 'side', image: 'ghcr.io/x/y@sha256:abc' },
      ],
    }),
  }));
  assert.equal(f['k8s.pod.privileged'], 'init');
  assert.equal(f['k8s.pod.capabilities_added'], 'NET_BIND_SERVICE,SYS_ADMIN');
  assert.equal(f['k8s.pod.host_namespaces'], 'hostPID');
  assert.equal(f['k8s.pod.host_paths'], '/etc,/var/log');
  assert.equal(f['k8s.pod.root_escalation'], 'init,side', 'app set allowPrivilegeEscalation false');
  assert.equal(f['k8s.pod.registries'], 'docker.io,ghcr.io,registry.example');
  assert.equal(f['k8s.pod.registry_count'], '3');
  assert.deepEqual([f['k8s.pod.registry1'], f['k8s.pod.registry2'], f['k8s.pod.registry3']], ['docker.io', 'ghcr.io', 'registry.example']);
  assert.equal(f['k8s.pod.spec_from'], 'requestObject');
  assert.match(f['k8s.pod.summary'] as string, /privileged: init; capabilities added: SYS_ADMIN, NET_BIND_SERVICE; host namespaces: hostPID; hostPath: \/etc, \/var\/log;/);
});

test('an ordinary pod gives no finding field', () => {
  const f = k8s(event({ requestObject: podSpec({ containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { runAsUser: 1000 } }] }) }));
  for (const k of ['k8s.pod.privileged', 'k8s.pod.capabilities_added', 'k8s.pod.host_namespaces', 'k8s.pod.host_paths', 'k8s.pod.root_escalation']) assert.equal(f[k], undefined, k);
  assert.equal(f['k8s.pod.registries'], 'docker.io');
});

test('every workload kind with a pod template is judged, CronJobs through their job template; status updates are not', () => {
  const tpl = { template: { spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } } };
  for (const resource of ['deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'replicationcontrollers']) {
    assert.equal(k8s(event({ objectRef: { resource, namespace: 'shop' }, requestObject: { spec: tpl } }))['k8s.pod.privileged'], 'c', resource);
  }
  assert.equal(k8s(event({ objectRef: { resource: 'cronjobs', namespace: 'shop' }, requestObject: { spec: { jobTemplate: { spec: tpl } } } }))['k8s.pod.privileged'], 'c');
  assert.equal(k8s(event({ objectRef: { resource: 'daemonsets', namespace: 'shop', subresource: 'status' }, verb: 'update', responseObject: { kind: 'DaemonSet', spec: tpl } }))['k8s.pod.privileged'], undefined);
  assert.equal(k8s(event({ verb: 'get', requestObject: podSpec({ hostPID: true }) }))['k8s.pod.host_namespaces'], undefined, 'reads are not judged');
});

test('the response object (the object as stored) is preferred over the request (a patch holds only the change)', () => {
  const f = k8s(event({
    verb: 'patch',
    objectRef: { resource: 'deployments', namespace: 'shop', name: 'web' },
    requestObject: { spec: { replicas: 3 } },
    responseObject: { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { hostNetwork: true, containers: [] } } } },
  }));
  assert.equal(f['k8s.pod.host_namespaces'], 'hostNetwork');
  assert.equal(f['k8s.pod.spec_from'], 'responseObject');
  const jsonPatch = k8s(event({ verb: 'patch', objectRef: { resource: 'deployments', namespace: 'shop', name: 'web' }, requestObject: [{ op: 'add', path: '/spec/template/spec/hostPID', value: true }] }));
  assert.equal(jsonPatch['k8s.pod.unjudged'], 'json-patch');
});

test('ephemeral containers (kubectl debug) are judged; mirror pods and controller owners are named', () => {
  const f = k8s(event({
    verb: 'patch',
    objectRef: { resource: 'pods', namespace: 'shop', name: 'api', subresource: 'ephemeralcontainers' },
    responseObject: podSpec({ containers: [{ name: 'app', image: 'a' }], ephemeralContainers: [{ name: 'debugger-x', image: 'busybox', securityContext: { privileged: true } }] }),
  }));
  assert.equal(f['k8s.pod.privileged'], 'debugger-x');
  const mirror = k8s(event({ requestObject: { kind: 'Pod', metadata: { name: 'etcd-cp1', annotations: { 'kubernetes.io/config.mirror': 'abc' }, ownerReferences: [{ kind: 'Node', name: 'cp1', controller: true }] }, spec: { containers: [] } } }));
  assert.equal(mirror['k8s.pod.mirror'], 'true');
  assert.equal(mirror['k8s.pod.owner'], 'Node/cp1');
});

test('hostPath normalisation and registries', () => {
  assert.equal(normalizeHostPath('/'), '/');
  assert.equal(normalizeHostPath('///'), '/');
  assert.equal(normalizeHostPath('/var/run/../run/docker.sock'), '/var/run/docker.sock');
  assert.equal(normalizeHostPath('etc'), '/etc');
  assert.equal(registryOf('nginx'), 'docker.io');
  assert.equal(registryOf('library/nginx:1'), 'docker.io');
  assert.equal(registryOf('index.docker.io/library/nginx'), 'docker.io');
  assert.equal(registryOf('localhost/x'), 'localhost');
  assert.equal(registryOf('myreg:5000/x'), 'myreg:5000');
  assert.equal(registryOf('EVIL.example/x'), 'evil.example');
});

test('RBAC grants: wildcards, secrets, exec, escalate/bind/impersonate, writes to RBAC; a read-only role grants none of them', () => {
  assert.deepEqual(rbacGrants([{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }]), []);
  assert.deepEqual(rbacGrants([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]).includes('wildcard'), true);
  assert.deepEqual(rbacGrants([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]), ['secrets']);
  assert.deepEqual(rbacGrants([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]), ['pods/exec']);
  assert.deepEqual(rbacGrants([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'bind'] }]), ['bind', 'escalate']);
  assert.deepEqual(rbacGrants([{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]), ['impersonate']);
  assert.deepEqual(rbacGrants([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create'] }]), ['rbac-write']);
  assert.deepEqual(rbacGrants([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['get', 'list'] }]), []);
  assert.deepEqual(rbacGrants([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]), []);
});

test('roles and bindings: role key, grants, subjects; ConfigMaps: key names and credential-like values (never the values)', () => {
  const role = k8s(event({ objectRef: { resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' }, requestObject: { kind: 'ClusterRole', metadata: { name: 'pwn' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } }));
  assert.equal(role['k8s.rbac.role'], 'ClusterRole/pwn');
  assert.equal(role['k8s.rbac.grants'], 'secrets');
  const ro = k8s(event({ objectRef: { resource: 'roles', namespace: 'shop' }, requestObject: { kind: 'Role', metadata: { name: 'viewer' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } }));
  assert.equal(ro['k8s.rbac.role'], 'Role/shop/viewer');
  assert.equal(ro['k8s.rbac.grants'], 'none');
  const binding = k8s(event({ objectRef: { resource: 'rolebindings', namespace: 'shop' }, requestObject: { kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'viewer' }, subjects: [{ kind: 'User', name: 'bob' }, { kind: 'ServiceAccount', name: 'api' }] } }));
  assert.equal(binding['k8s.rbac.role'], 'Role/shop/viewer');
  assert.equal(binding['k8s.rbac.subjects'], 'User bob,ServiceAccount shop/api');
  const cm = k8s(event({ objectRef: { resource: 'configmaps', namespace: 'shop' }, requestObject: { kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'app.conf': 'aws_key=AKIAIOSFODNN7EXAMPLE', colour: 'blue' } } }));
  assert.equal(cm['k8s.configmap.keys'], 'app.conf,colour');
  assert.equal(cm['k8s.configmap.credential_values'], 'app.conf');
  assert.ok(!Object.values(cm).some((v) => v.includes('AKIA')), 'no derived field copies a credential');
});

test("the ruleset's decoder takes an audit event in any key order, with spaces, without kind/apiVersion; other JSON is left alone", () => {
  const file = resolve(import.meta.dirname, '../../../../../../ruleset/decoders/0001-vigil-kubernetes-audit_decoders.xml');
  const { set, errors, warnings } = loadDecoders([{ file, text: readFileSync(file, 'utf8') }]);
  assert.deepEqual([errors, warnings], [[], []]);
  const e = event({});
  const lines = [
    JSON.stringify(e),
    JSON.stringify(Object.fromEntries(Object.entries(e).reverse())),
    JSON.stringify(e, null, 1).replace(/\n/g, ' '),
    JSON.stringify({ ...e, kind: undefined, apiVersion: undefined }),
  ];
  for (const log of lines) {
    const r = decodeLog(set, { log });
    assert.equal(r.decoder?.name, 'vigil-k8s-audit', log);
    assert.equal(r.fields['k8s.audit'], 'event', log);
    assert.equal(r.fields['user.username'], 'alice', log);
  }
  assert.equal(decodeLog(set, { log: '{"level":"info","msg":"verb"}' }).decoder, undefined);
  const truncated = decodeLog(set, { log: JSON.stringify(e).slice(0, 300) });
  assert.equal(truncated.fields['k8s.audit'], 'invalid_json', 'a cut line is reported, not lost');
});

test('the origin of a pod spec: who wrote which workload, a Deployment named across rollouts, a bare pod by itself', () => {
  const dsPod = k8s(event({
    user: { username: 'system:serviceaccount:kube-system:daemon-set-controller', groups: [] },
    objectRef: { resource: 'pods', namespace: 'kube-system' },
    requestObject: { kind: 'Pod', metadata: { generateName: 'kube-proxy-', ownerReferences: [{ kind: 'DaemonSet', name: 'kube-proxy', controller: true }] }, spec: { containers: [] } },
  }));
  assert.equal(dsPod['k8s.pod.origin'], 'system:serviceaccount:kube-system:daemon-set-controller kube-system/DaemonSet/kube-proxy');
  const rsPod = k8s(event({
    user: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: [] },
    requestObject: { kind: 'Pod', metadata: { generateName: 'web-7d9f5c-', labels: { 'pod-template-hash': '7d9f5c' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f5c', controller: true }] }, spec: { containers: [] } },
  }));
  assert.equal(rsPod['k8s.pod.origin'], 'system:serviceaccount:kube-system:replicaset-controller shop/Deployment/web');
  assert.equal(k8s(event({ requestObject: { kind: 'Pod', metadata: { name: 'debug' }, spec: {} } }))['k8s.pod.origin'], 'alice shop/Pod/debug');
  assert.equal(k8s(event({ objectRef: { resource: 'daemonsets', namespace: 'kube-system' }, requestObject: { kind: 'DaemonSet', metadata: { name: 'kube-proxy' }, spec: { template: { spec: {} } } } }))['k8s.pod.origin'], 'alice kube-system/DaemonSet/kube-proxy');
});

test('the origin is set for every write of a pod spec, a JSON patch without a stored object too', () => {
  const f = k8s(event({ verb: 'patch', objectRef: { resource: 'deployments', namespace: 'shop', name: 'web' }, level: 'Request', requestObject: [{ op: 'add', path: '/spec/template/spec/hostPID', value: true }] }));
  assert.equal(f['k8s.pod.origin'], 'alice shop/Deployment/web');
  assert.equal(k8s(event({ verb: 'list' }))['k8s.pod.origin'], undefined);
});
