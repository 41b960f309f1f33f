/**
 * The source of ruleset/tests/kubernetes-audit.ini: realistic API server audit events (stage ResponseComplete,
 * requestObject and responseObject at level RequestResponse, user agents and owner references as the controllers
 * write them), each case written in the API server's key order and with the keys of every object reversed, the
 * first must-match event of a section also as a log shipper writes it (reversed, spaced, without kind and
 * apiVersion). Edit the cases here, then write the file:
 *
 *   node --import tsx ruleset/test/kubernetes-audit-cases.ts --write
 *
 * ruleset/test/kubernetes-audit.test.ts checks that the file is what this module generates.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type J = null | boolean | number | string | J[] | { [k: string]: J };
type Obj = { [k: string]: J };

const KUBECTL = 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350';
const KCM_UA = 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3968350/system:serviceaccount:kube-system:replicaset-controller';
const DS_UA = 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3968350/system:serviceaccount:kube-system:daemon-set-controller';
const KUBELET_UA = 'kubelet/v1.30.2 (linux/amd64) kubernetes/3968350';
const RS_CTRL = 'system:serviceaccount:kube-system:replicaset-controller';
const DS_CTRL = 'system:serviceaccount:kube-system:daemon-set-controller';
const GROUPS_SA = ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'];

let counter = 0;
/** Deterministic UUID-shaped ids, so that the generated file is stable. */
function uid(): string {
  counter += 1;
  const h = createHash('sha1').update(String(counter)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PLURAL_GROUP: Record<string, [string, string]> = {
  deployments: ['apps', 'v1'], daemonsets: ['apps', 'v1'], statefulsets: ['apps', 'v1'], replicasets: ['apps', 'v1'],
  jobs: ['batch', 'v1'], cronjobs: ['batch', 'v1'],
  roles: ['rbac.authorization.k8s.io', 'v1'], clusterroles: ['rbac.authorization.k8s.io', 'v1'],
  rolebindings: ['rbac.authorization.k8s.io', 'v1'], clusterrolebindings: ['rbac.authorization.k8s.io', 'v1'],
  certificatesigningrequests: ['certificates.k8s.io', 'v1'],
  mutatingwebhookconfigurations: ['admissionregistration.k8s.io', 'v1'], validatingwebhookconfigurations: ['admissionregistration.k8s.io', 'v1'],
};

function userOf(name: string): Obj {
  if (name.startsWith('system:serviceaccount:')) return { username: name, uid: uid(), groups: GROUPS_SA };
  if (name.startsWith('system:node:')) return { username: name, groups: ['system:nodes', 'system:authenticated'] };
  if (name === 'system:anonymous') return { username: name, groups: ['system:unauthenticated'] };
  return { username: name, groups: ['system:authenticated'] };
}

interface EvOptions {
  ns?: string; name?: string; sub?: string; user?: string; code?: number; level?: string; req?: J; resp?: J;
  ip?: string; ua?: string; stage?: string; imp?: Obj; query?: string; uri?: string; objref?: boolean;
}

/** One audit event, keys in the order the API server writes them. */
function ev(verb: string, resource: string, o: EvOptions = {}): Obj {
  const [group, version] = PLURAL_GROUP[resource] ?? ['', 'v1'];
  const { ns, name, sub, user = 'alice', level = 'RequestResponse', ip = '198.51.100.4', ua = KUBECTL, stage = 'ResponseComplete', query = '', objref = true } = o;
  const code = o.code ?? (verb === 'create' && sub === undefined ? 201 : 200);
  const base = group === '' ? '/api/v1' : `/apis/${group}/${version}`;
  const uri = o.uri ?? `${base}${ns ? `/namespaces/${ns}` : ''}/${resource}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}${query}`;
  const e: Obj = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID: uid(), stage, requestURI: uri, verb, user: userOf(user) };
  if (o.imp) e['impersonatedUser'] = o.imp;
  e['sourceIPs'] = [ip];
  e['userAgent'] = ua;
  if (objref) {
    const r: Obj = { resource };
    if (ns) r['namespace'] = ns;
    if (name) r['name'] = name;
    if (group) r['apiGroup'] = group;
    r['apiVersion'] = version;
    if (sub) r['subresource'] = sub;
    e['objectRef'] = r;
  }
  if (stage !== 'RequestReceived') {
    if (code >= 400) {
      const reason = ({ 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' } as Record<number, string>)[code] ?? 'Failure';
      e['responseStatus'] = { metadata: {}, status: 'Failure', message: `${resource} is ${reason.toLowerCase()}`, reason, code };
    } else e['responseStatus'] = { metadata: {}, code };
  }
  if (o.req !== undefined && (level === 'Request' || level === 'RequestResponse')) e['requestObject'] = o.req;
  if (o.resp !== undefined && level === 'RequestResponse' && code < 400) e['responseObject'] = o.resp;
  e['requestReceivedTimestamp'] = '2026-01-05T10:12:01.123456Z';
  e['stageTimestamp'] = '2026-01-05T10:12:01.223456Z';
  if (code !== 401) e['annotations'] = { 'authorization.k8s.io/decision': code !== 403 ? 'allow' : 'forbid', 'authorization.k8s.io/reason': '' };
  return e;
}

/** Every object's keys in reverse order, recursively (arrays keep their order). */
function rev(v: J): J {
  if (Array.isArray(v)) return v.map(rev);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, rev(v[k] as J)]));
  return v;
}

/** JSON with `, ` and `: ` between items, as Python's json.dumps and many shippers write it. */
function spaced(v: J): string {
  if (Array.isArray(v)) return `[${v.map(spaced).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}: ${spaced(v[k] as J)}`).join(', ')}}`;
  return JSON.stringify(v);
}

const compact = (v: J): string => JSON.stringify(v);
function shipper(e: Obj): string {
  const o: Obj = {};
  for (const k of Object.keys(e)) if (k !== 'kind' && k !== 'apiVersion') o[k] = e[k] as J;
  return spaced(rev(o));
}

const clone = <T extends J>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function container(name: string, image: string, sc?: Obj, kw: Obj = {}): Obj {
  const c: Obj = { name, image, ...kw };
  if (sc !== undefined) c['securityContext'] = sc;
  return c;
}
function podSpec(containers: Obj[], volumes?: Obj[], kw: Obj = {}): Obj {
  const s: Obj = { ...kw, containers };
  if (volumes) s['volumes'] = volumes;
  return s;
}
function hp(name: string, path: string, type?: string): Obj {
  const h: Obj = { path };
  if (type) h['type'] = type;
  return { name, hostPath: h };
}
interface PodOptions { owner?: [string, string, string]; generate?: boolean; annotations?: Obj; labels?: Obj }
function pod(name: string, ns: string, spec: Obj, o: PodOptions = {}): Obj {
  const md: Obj = { namespace: ns };
  if (o.generate) md['generateName'] = name;
  else md['name'] = name;
  if (o.labels) md['labels'] = o.labels;
  if (o.annotations) md['annotations'] = o.annotations;
  if (o.owner) md['ownerReferences'] = [{ apiVersion: o.owner[0], kind: o.owner[1], name: o.owner[2], uid: uid(), controller: true, blockOwnerDeletion: true }];
  return { kind: 'Pod', apiVersion: 'v1', metadata: md, spec };
}
/** The object as the API server stores it (uid, resourceVersion, creationTimestamp added). */
function stored(obj: Obj): Obj {
  const o = clone(obj);
  const md = o['metadata'] as Obj;
  md['uid'] = uid();
  md['resourceVersion'] = '48213';
  md['creationTimestamp'] = '2026-01-05T10:12:01Z';
  return o;
}
function workload(kind: string, name: string, ns: string, spec: Obj): Obj {
  const labels = { app: name };
  const tpl: Obj = { metadata: { labels }, spec };
  const api = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  let body: Obj;
  if (kind === 'CronJob') body = { schedule: '*/5 * * * *', jobTemplate: { spec: { template: tpl } } };
  else if (kind === 'Job') body = { template: tpl, backoffLimit: 0 };
  else if (kind === 'DaemonSet') body = { selector: { matchLabels: labels }, template: tpl };
  else {
    body = { replicas: 1, selector: { matchLabels: labels }, template: tpl };
    if (kind === 'StatefulSet') body['serviceName'] = name;
  }
  return { kind, apiVersion: api, metadata: { name, namespace: ns }, spec: body };
}
const RES: Record<string, string> = { Pod: 'pods', Deployment: 'deployments', DaemonSet: 'daemonsets', StatefulSet: 'statefulsets', ReplicaSet: 'replicasets', Job: 'jobs', CronJob: 'cronjobs' };

interface CreateOptions { user?: string; code?: number; ua?: string; ip?: string }
function create(obj: Obj, o: CreateOptions = {}): Obj {
  const md = obj['metadata'] as Obj;
  const resp = stored(obj);
  if (md['name'] === undefined) (resp['metadata'] as Obj)['name'] = `${md['generateName'] as string}x2kq8`;
  const kind = obj['kind'] as string;
  return ev('create', RES[kind] ?? `${kind.toLowerCase()}s`, { ns: md['namespace'] as string, user: o.user ?? 'alice', code: o.code ?? 201, req: obj, resp, ua: o.ua ?? KUBECTL, ip: o.ip ?? '198.51.100.4' });
}
function role(kind: string, name: string, rules: Obj[], ns?: string): Obj {
  const md: Obj = { name };
  if (ns) md['namespace'] = ns;
  return { kind, apiVersion: 'rbac.authorization.k8s.io/v1', metadata: md, rules };
}
function binding(kind: string, name: string, roleKind: string, roleName: string, subjects: Obj[], ns?: string): Obj {
  const md: Obj = { name };
  if (ns) md['namespace'] = ns;
  return { kind, apiVersion: 'rbac.authorization.k8s.io/v1', metadata: md, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects };
}
function createRbac(obj: Obj, o: { user?: string; verb?: string } = {}): Obj {
  const verb = o.verb ?? 'create';
  const md = obj['metadata'] as Obj;
  const res = ({ Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' } as Record<string, string>)[obj['kind'] as string] as string;
  const resp = stored(obj);
  const opts: EvOptions = { user: o.user ?? 'alice', code: verb === 'create' ? 201 : 200, req: obj, resp };
  if (md['namespace'] !== undefined) opts.ns = md['namespace'] as string;
  if (verb !== 'create') opts.name = md['name'] as string;
  return ev(verb, res, opts);
}

type Item = Obj | { raw: string } | { shipper: Obj } | Obj[];
interface Section { title: string; rule: number; level: number; passes: Item[]; fails: Item[]; orders: boolean }

/** The cases, in file order. */
function sections(): Section[] {
  counter = 0;
  const out: Section[] = [];
  const section = (title: string, rule: number, level: number, passes: Item[], fails: Item[], orders = true) => out.push({ title, rule, level, passes, fails, orders });
  const ctrlPod = (spec: Obj, o: { name?: string; ns?: string; owner?: [string, string, string]; user?: string; ua?: string } = {}) =>
    create(pod(o.name ?? 'web-7d9f5c-', o.ns ?? 'shop', spec, { owner: o.owner ?? ['apps/v1', 'ReplicaSet', 'web-7d9f5c'], generate: true }), { user: o.user ?? RS_CTRL, ua: o.ua ?? KCM_UA });
  const alicePod = (spec: Obj) => pod('debug', 'shop', spec);
  const PAUSE = 'registry.k8s.io/pause:3.9';
  const coredns = podSpec(
    [container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.1', { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true }, { args: ['-conf', '/etc/coredns/Corefile'] })],
    [{ name: 'config-volume', configMap: { name: 'coredns' } }],
    { serviceAccountName: 'coredns', dnsPolicy: 'Default' },
  );
  const corednsPod = () => ctrlPod(coredns, { name: 'coredns-76f75df574-', ns: 'kube-system', owner: ['apps/v1', 'ReplicaSet', 'coredns-76f75df574'] });
  const ordinary = podSpec([container('app', PAUSE, { runAsUser: 1000, allowPrivilegeEscalation: false })]);
  const EXECQ = '?command=sh&container=api&stdin=true&tty=true';
  const pod7d9f = { ns: 'shop', name: 'api-7d9f' };

  section('an event no other rule covers', 200700, 0, [ev('list', 'pods', { ns: 'shop', level: 'Metadata' })], []);
  (out.at(-1) as Section).passes.push({ shipper: ev('list', 'pods', { ns: 'shop', level: 'Metadata' }) });
  (out.at(-1) as Section).fails.push({ raw: '{"level":"info","ts":"2026-01-05T10:12:01Z","msg":"list pods","verb":"list","stage":"done"}' });
  section('RequestReceived stage', 200701, 0,
    [ev('create', 'pods', { ...pod7d9f, sub: 'exec', stage: 'RequestReceived', level: 'Metadata', query: EXECQ })],
    [ev('create', 'pods', { ...pod7d9f, sub: 'exec', level: 'Metadata', code: 101, query: EXECQ })]);
  const big = create(pod('web', 'shop', podSpec([container('app', PAUSE, { privileged: true })]), { annotations: { pad: 'x'.repeat(400) } }));
  section('a line taken as an audit event that cannot be read', 200721, 5,
    [{ raw: compact(big).slice(0, 700) }, { raw: compact({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [ev('list', 'pods', { ns: 'shop', level: 'Metadata' })] }) }],
    [ev('list', 'pods', { ns: 'shop', level: 'Metadata' })], false);

  // Access.
  section('exec into a pod', 200702, 8,
    [ev('create', 'pods', { ...pod7d9f, sub: 'exec', level: 'Metadata', code: 101, query: EXECQ }), ev('get', 'pods', { ...pod7d9f, sub: 'exec', level: 'Metadata', code: 101, query: EXECQ })],
    [ev('create', 'pods', { ...pod7d9f, sub: 'exec', level: 'Metadata', code: 403, query: EXECQ }), ev('create', 'pods', { ...pod7d9f, sub: 'attach', level: 'Metadata', code: 101 })]);
  section('attach to a pod', 200703, 8,
    [ev('create', 'pods', { ...pod7d9f, sub: 'attach', level: 'Metadata', code: 101, query: '?container=api&stdin=true' })],
    [ev('create', 'pods', { ...pod7d9f, sub: 'attach', level: 'Metadata', code: 403 }), ev('create', 'pods', { ...pod7d9f, sub: 'exec', level: 'Metadata', code: 101 })]);
  section('port-forward to a pod', 200704, 7,
    [ev('create', 'pods', { ...pod7d9f, sub: 'portforward', level: 'Metadata', code: 101 })],
    [ev('get', 'pods', { ...pod7d9f, sub: 'log', level: 'Metadata', code: 200 })]);
  const debugPod = pod('api-7d9f', 'shop', podSpec([container('api', PAUSE)], undefined, { ephemeralContainers: [container('debugger-8xk2p', 'busybox:1.36', undefined, { stdin: true, tty: true, targetContainerName: 'api' })] }));
  const debugReq = () => ({ spec: { ephemeralContainers: (debugPod['spec'] as Obj)['ephemeralContainers'] as J } });
  section('ephemeral container added (kubectl debug)', 200731, 10,
    [ev('patch', 'pods', { ...pod7d9f, sub: 'ephemeralcontainers', req: debugReq(), resp: stored(debugPod) })],
    [ev('patch', 'pods', { ...pod7d9f, sub: 'ephemeralcontainers', code: 403, req: debugReq() }),
      ev('patch', 'pods', { ...pod7d9f, req: { metadata: { labels: { debug: 'true' } } }, resp: stored(pod('api-7d9f', 'shop', ordinary)) })]);
  const secret = { ns: 'shop', name: 'db-password', level: 'Metadata' };
  section('secret read', 200705, 6,
    [ev('get', 'secrets', secret), ev('get', 'secrets', { ns: 'kube-system', name: 'bootstrap-token-abcdef', level: 'Metadata', user: 'system:serviceaccount:kube-system:default' }),
      ev('get', 'secrets', { ...secret, user: 'system:serviceaccount:kube-system:node-controller-x' })],
    [ev('get', 'secrets', { ...secret, user: 'system:kube-controller-manager' }), ev('get', 'secrets', { ...secret, user: 'system:node:worker-1' }),
      ev('get', 'secrets', { ...secret, code: 403 }), ev('get', 'configmaps', { ns: 'shop', name: 'settings', level: 'Metadata' })]);
  section('secrets listed', 200706, 8,
    [ev('list', 'secrets', { level: 'Metadata' }), ev('watch', 'secrets', { ns: 'kube-system', level: 'Metadata', user: 'system:serviceaccount:kube-system:default', query: '?watch=true' })],
    [ev('list', 'secrets', { level: 'Metadata', user: 'system:serviceaccount:kube-system:generic-garbage-collector' }), ev('get', 'secrets', secret)]);
  const token = (ns: string, name: string, o: EvOptions = {}) => ev('create', 'serviceaccounts', { ns, name, sub: 'token', code: 201, level: 'Metadata', ...o });
  section('service account token requested', 200718, 6,
    [token('kube-system', 'clusterrole-aggregation-controller'), token('kube-system', 'admin', { user: 'system:serviceaccount:ci:deployer' })],
    [token('shop', 'api', { user: 'system:node:worker-1' }), token('kube-system', 'replicaset-controller', { user: 'system:kube-controller-manager' }), token('kube-system', 'admin', { code: 403 })]);
  section('certificate signing request approved', 200720, 8,
    [ev('update', 'certificatesigningrequests', { name: 'csr-mallory', sub: 'approval', level: 'Metadata' })],
    [ev('update', 'certificatesigningrequests', { name: 'csr-8k2jd', sub: 'approval', level: 'Metadata', user: 'system:serviceaccount:kube-system:certificate-controller' }),
      ev('create', 'certificatesigningrequests', { level: 'Metadata', code: 201 })]);
  section('impersonation', 200732, 8,
    [ev('list', 'pods', { ns: 'shop', level: 'Metadata', imp: { username: 'bob', groups: ['dev', 'system:authenticated'] } })],
    [ev('list', 'pods', { ns: 'shop', level: 'Metadata' }), ev('list', 'pods', { ns: 'shop', level: 'Metadata', code: 403, imp: { username: 'bob' } })]);
  section('impersonation of system:masters', 200733, 12,
    [ev('get', 'secrets', { ns: 'kube-system', name: 'etcd-ca', level: 'Metadata', imp: { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] } })],
    [ev('get', 'pods', { ns: 'shop', level: 'Metadata', imp: { username: 'bob', groups: ['dev', 'system:masters-readers'] } })]);
  const anon = { level: 'Metadata', user: 'system:anonymous', ua: 'curl/8.5.0', ip: '203.0.113.9' };
  section('anonymous request allowed', 200717, 10,
    [ev('list', 'pods', anon)],
    [ev('list', 'pods', { ...anon, code: 403 }), ev('get', '', { ...anon, uri: '/healthz', objref: false })]);

  // Pod specs.
  const PRIV = { privileged: true };
  const privSpec = podSpec([container('app', PAUSE, PRIV)]);
  const debugger2 = () => container('debugger-p2', PAUSE, PRIV, { targetContainerName: 'api' });
  section('privileged container, whoever creates it', 200707, 12,
    [create(alicePod(privSpec)), ctrlPod(privSpec),
      create(workload('DaemonSet', 'node-agent', 'monitoring', podSpec([container('agent', PAUSE, PRIV)]))),
      create(workload('CronJob', 'cleanup', 'shop', podSpec([container('job', PAUSE, PRIV)], undefined, { restartPolicy: 'Never' }))),
      ev('patch', 'pods', { ...pod7d9f, sub: 'ephemeralcontainers', req: { spec: { ephemeralContainers: [debugger2()] } },
        resp: stored(pod('api-7d9f', 'shop', podSpec([container('api', PAUSE)], undefined, { ephemeralContainers: [debugger2()] }))) })],
    [corednsPod(), create(alicePod(podSpec([container('app', PAUSE, { privileged: false })]))), create(alicePod(privSpec), { code: 403 })]);
  section('container runtime socket mounted', 200708, 12,
    [create(workload('Deployment', 'builder', 'ci', podSpec([container('docker', PAUSE, undefined, { volumeMounts: [{ name: 'sock', mountPath: '/var/run/docker.sock' }] })], [hp('sock', '/var/run/docker.sock', 'Socket')]))),
      create(workload('StatefulSet', 'scanner', 'ci', podSpec([container('scan', PAUSE)], [hp('ctr', '/run/containerd/containerd.sock')]))),
      create(alicePod(podSpec([container('app', PAUSE)], [hp('run', '/var/run/')])))],
    [create(alicePod(podSpec([container('app', PAUSE)], [hp('logs', '/var/log')]))), create(alicePod(podSpec([container('app', PAUSE)], [hp('sock', '/var/run/docker.sock')])), { code: 403 })]);
  const fluent = workload('DaemonSet', 'fluent-bit', 'logging', podSpec(
    [container('fluent-bit', 'cr.fluentbit.io/fluent/fluent-bit:3.0.7', { readOnlyRootFilesystem: true }, { volumeMounts: [{ name: 'varlog', mountPath: '/var/log', readOnly: true }, { name: 'containers', mountPath: '/var/lib/docker/containers', readOnly: true }] })],
    [hp('varlog', '/var/log'), hp('containers', '/var/lib/docker/containers')], { serviceAccountName: 'fluent-bit', tolerations: [{ operator: 'Exists' }] }));
  const templateSpec = (w: Obj) => ((w['spec'] as Obj)['template'] as Obj)['spec'] as Obj;
  section('sensitive host path mounted', 200709, 12,
    [create(alicePod(podSpec([container('app', PAUSE, undefined, { volumeMounts: [{ name: 'host', mountPath: '/host' }] })], [hp('host', '/')]))),
      create(workload('Job', 'backup', 'shop', podSpec([container('b', PAUSE)], [hp('etc', '/etc/')], { restartPolicy: 'Never' }))),
      create(workload('ReplicaSet', 'kube-looter', 'shop', podSpec([container('l', PAUSE)], [hp('kubelet', '/var/lib/kubelet/pods')]))),
      ctrlPod(podSpec([container('app', PAUSE)], [hp('root', '//root/.ssh')]))],
    [create(fluent), ctrlPod(templateSpec(fluent), { name: 'fluent-bit-', ns: 'logging', owner: ['apps/v1', 'DaemonSet', 'fluent-bit'], user: DS_CTRL, ua: DS_UA })]);
  const caps = (add: string[], drop?: string[]): Obj => (drop ? { capabilities: { add, drop } } : { capabilities: { add } });
  section('dangerous capabilities added', 200723, 10,
    [create(workload('Deployment', 'netdebug', 'shop', podSpec([container('c', PAUSE, caps(['SYS_ADMIN']))]))),
      create(alicePod(podSpec([container('c', PAUSE, caps(['cap_sys_ptrace']))]))),
      ctrlPod(podSpec([container('c', PAUSE, caps(['NET_BIND_SERVICE', 'BPF']))]))],
    [create(alicePod(podSpec([container('c', PAUSE, caps(['NET_BIND_SERVICE'], ['ALL']))])))]);
  section('host namespaces shared', 200710, 10,
    [create(alicePod(podSpec([container('c', PAUSE)], undefined, { hostPID: true }))),
      create(workload('ReplicaSet', 'edge', 'shop', podSpec([container('c', PAUSE)], undefined, { hostNetwork: true, hostIPC: true })))],
    [create(alicePod(podSpec([container('c', PAUSE)], undefined, { hostNetwork: false, hostPID: false })))]);
  section('root with privilege escalation', 200724, 7,
    [create(alicePod(podSpec([container('c', PAUSE, { runAsUser: 0, allowPrivilegeEscalation: true })]))),
      create(workload('StatefulSet', 'db', 'shop', podSpec([container('c', PAUSE)], undefined, { securityContext: { runAsUser: 0 } })))],
    [create(alicePod(podSpec([container('c', PAUSE, { runAsUser: 0, allowPrivilegeEscalation: false })]))),
      create(alicePod(podSpec([container('c', PAUSE, { runAsUser: 1000, allowPrivilegeEscalation: true })])))]);
  section('image from a registry outside the allow-list', 200725, 6,
    [create(alicePod(podSpec([container('miner', 'evil.example/tools/xmrig:6.21')]))), ctrlPod(podSpec([container('app', 'nginx:1.27')]))],
    [create(alicePod(podSpec([container('app', PAUSE)]))), corednsPod()]);
  section('second registry outside the allow-list', 200726, 6,
    [create(workload('Deployment', 'web', 'shop', podSpec([container('app', PAUSE), container('sidecar', 'zz.example/proxy:1')])))],
    [create(workload('Deployment', 'web', 'shop', podSpec([container('app', PAUSE), container('sidecar', 'mcr.microsoft.com/oss/proxy:1')])))]);
  section('third registry outside the allow-list', 200727, 6,
    [create(alicePod(podSpec([container('a', 'k8s.gcr.io/pause:3.2'), container('b', 'mcr.microsoft.com/oss/kube-proxy:1'), container('c', 'quay.io/evil/tool:1')])))],
    [create(alicePod(podSpec([container('a', 'k8s.gcr.io/pause:3.2'), container('b', 'mcr.microsoft.com/oss/kube-proxy:1'), container('c', PAUSE)])))]);
  section('images from four or more registries', 200728, 6,
    [create(alicePod(podSpec([container('a', 'gke.gcr.io/a:1'), container('b', 'k8s.gcr.io/b:1'), container('c', 'mcr.microsoft.com/c:1'), container('d', 'registry.k8s.io/d:1')])))],
    [create(alicePod(podSpec([container('a', 'gke.gcr.io/a:1'), container('b', 'k8s.gcr.io/b:1'), container('c', 'mcr.microsoft.com/c:1')])))]);
  const npd = workload('DaemonSet', 'node-problem-detector', 'monitoring', podSpec(
    [container('npd', 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19', undefined, { volumeMounts: [{ name: 'log', mountPath: '/var/log', readOnly: true }] })], [hp('log', '/var/log')]));
  section('ordinary host path (a log reader)', 200722, 3,
    [create(npd), ctrlPod(templateSpec(npd), { name: 'node-problem-detector-', ns: 'monitoring', owner: ['apps/v1', 'DaemonSet', 'node-problem-detector'], user: DS_CTRL, ua: DS_UA })],
    [create(alicePod(ordinary))]);
  const jp = [{ op: 'add', path: '/spec/template/spec/hostPID', value: true }];
  section('workload changed by a JSON patch without the resulting object', 200730, 5,
    [ev('patch', 'deployments', { ns: 'shop', name: 'web', level: 'Request', req: jp })],
    [ev('patch', 'deployments', { ns: 'shop', name: 'web', level: 'RequestResponse', req: jp, resp: stored(workload('Deployment', 'web', 'shop', ordinary)) })]);
  const apiserver = podSpec(
    [container('kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.30.2', undefined, { command: ['kube-apiserver', '--advertise-address=10.0.0.10'], volumeMounts: [{ name: 'k8s-certs', mountPath: '/etc/kubernetes/pki', readOnly: true }] })],
    [hp('k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate'), hp('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate')], { hostNetwork: true, priorityClassName: 'system-node-critical' });
  const MIRROR = { 'kubernetes.io/config.hash': '4b1f0e', 'kubernetes.io/config.mirror': '4b1f0e', 'kubernetes.io/config.source': 'file' };
  section('a node mirrors its static pod', 200729, 3,
    [create(pod('kube-apiserver-cp-1', 'kube-system', apiserver, { owner: ['v1', 'Node', 'cp-1'], annotations: MIRROR }), { user: 'system:node:cp-1', ua: KUBELET_UA, ip: '10.0.0.10' })],
    [create(pod('kube-apiserver-cp-1', 'kube-system', apiserver, { annotations: MIRROR })), create(pod('kube-apiserver-cp-1', 'kube-system', apiserver), { user: 'system:node:cp-1', ip: '10.0.0.10' })]);

  // RBAC.
  const RO_RULES = [{ apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] }];
  const roRole = () => role('Role', 'viewer', RO_RULES, 'shop');
  const RBAC = 'rbac.authorization.k8s.io';
  const group = (name: string) => ({ kind: 'Group', apiGroup: RBAC, name });
  section('role with wildcard permissions', 200734, 12,
    [createRbac(role('ClusterRole', 'ops-all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])), createRbac(role('Role', 'shop-any', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }], 'shop'))],
    [createRbac(roRole())]);
  section('role with escalate, bind or impersonate', 200735, 12,
    [createRbac(role('ClusterRole', 'impersonator', [{ apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] }])),
      createRbac(role('ClusterRole', 'role-granter', [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind', 'escalate'] }]), { verb: 'update' })],
    [createRbac(roRole())]);
  section('role that writes RBAC', 200736, 10,
    [createRbac(role('Role', 'binder', [{ apiGroups: [RBAC], resources: ['rolebindings'], verbs: ['create', 'update'] }], 'shop'))],
    [createRbac(role('Role', 'rbac-reader', [{ apiGroups: [RBAC], resources: ['rolebindings', 'roles'], verbs: ['get', 'list'] }], 'shop'))]);
  section("role that reaches pods' shells or nodes", 200737, 10,
    [createRbac(role('Role', 'debugger', [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] }], 'shop')),
      createRbac(role('ClusterRole', 'node-proxy', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]))],
    [createRbac(role('Role', 'log-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }], 'shop'))]);
  section('role that reads secrets', 200738, 8,
    [createRbac(role('Role', 'secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }], 'shop'))],
    [createRbac(role('Role', 'config-reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }], 'shop'))]);
  section('binding to cluster-admin or another privileged role', 200711, 12,
    [createRbac(binding('ClusterRoleBinding', 'mallory-admin', 'ClusterRole', 'cluster-admin', [{ kind: 'User', apiGroup: RBAC, name: 'mallory' }])),
      createRbac(binding('RoleBinding', 'ci-edit', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }], 'shop'))],
    [createRbac(binding('RoleBinding', 'dev-view', 'ClusterRole', 'view', [group('dev-team')], 'shop')),
      createRbac(binding('ClusterRoleBinding', 'cluster-admin', 'ClusterRole', 'cluster-admin', [group('system:masters')]), { user: 'system:apiserver' })]);
  section('binding for every user', 200740, 12,
    [createRbac(binding('RoleBinding', 'open-viewer', 'Role', 'viewer', [group('system:unauthenticated')], 'shop')),
      createRbac(binding('ClusterRoleBinding', 'everyone-view', 'ClusterRole', 'view', [group('system:authenticated')]))],
    [createRbac(binding('RoleBinding', 'dev-view', 'ClusterRole', 'view', [group('dev-team')], 'shop'))]);
  const pwnRules = [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }];
  const bindPwn = () => createRbac(binding('ClusterRoleBinding', 'pwn-binding', 'ClusterRole', 'pwn', [{ kind: 'User', apiGroup: RBAC, name: 'mallory' }]));
  section('binding to a role given dangerous permissions shortly before', 200739, 12,
    [[createRbac(role('ClusterRole', 'pwn', pwnRules)), bindPwn()]],
    [[createRbac(role('ClusterRole', 'other', pwnRules)), bindPwn()], [bindPwn()]]);
  const basicUser = () => role('ClusterRole', 'system:basic-user', [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }]);
  section('built-in system role or binding changed', 200741, 10,
    [createRbac(basicUser(), { verb: 'update' }), ev('delete', 'clusterrolebindings', { name: 'system:kube-dns', level: 'Metadata' })],
    [createRbac(basicUser(), { verb: 'update', user: 'system:apiserver' }), createRbac(role('ClusterRole', 'monitoring-view', RO_RULES), { verb: 'update' })]);
  section('RBAC changed (a read-only role)', 200712, 5,
    [createRbac(roRole()), ev('delete', 'rolebindings', { ns: 'shop', name: 'dev-view', level: 'Metadata' })],
    [ev('get', 'roles', { ns: 'shop', name: 'viewer', level: 'Metadata' }), createRbac(roRole(), { user: 'system:apiserver' })]);

  // Persistence and exposure.
  const sa = (ns: string) => ({ kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'metrics-helper', namespace: ns } });
  section('objects created in a system namespace', 200742, 10,
    [ev('create', 'serviceaccounts', { ns: 'kube-system', req: sa('kube-system'), resp: stored(sa('kube-system')) }),
      create(pod('debug-shell', 'kube-system', ordinary)), createRbac(role('Role', 'helper', RO_RULES, 'kube-public'))],
    [corednsPod(), ev('create', 'serviceaccounts', { ns: 'shop', req: sa('shop'), resp: stored(sa('shop')) })]);
  const svc = (name: string, type?: string): Obj => {
    const spec: Obj = { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] };
    if (type) spec['type'] = type;
    return { kind: 'Service', apiVersion: 'v1', metadata: { name, namespace: 'shop' }, spec };
  };
  section('service exposed outside the cluster', 200743, 7,
    [ev('create', 'services', { ns: 'shop', req: svc('admin-ui', 'LoadBalancer'), resp: stored(svc('admin-ui', 'LoadBalancer')) }),
      ev('patch', 'services', { ns: 'shop', name: 'db', req: { spec: { type: 'NodePort' } }, resp: stored(svc('db', 'NodePort')) })],
    [ev('create', 'services', { ns: 'shop', req: svc('web'), resp: stored(svc('web', 'ClusterIP')) })]);
  const cm = (name: string, data: Obj): Obj => ({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: 'shop' }, data });
  const createCm = (c: Obj) => ev('create', 'configmaps', { ns: 'shop', req: c, resp: stored(c) });
  section('ConfigMap holding a credential', 200744, 8,
    [createCm(cm('app-env', { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', REGION: 'eu-west-1' })),
      createCm(cm('tls', { 'server.key': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n' }))],
    [createCm(cm('kube-root-ca.crt', { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n-----END CERTIFICATE-----\n' }))]);
  section('ConfigMap with keys named like credentials', 200748, 7,
    [createCm(cm('db-settings', { DB_HOST: 'db.shop.svc', DB_PASSWORD: 'changeme' }))],
    [createCm(cm('app-settings', { 'app.properties': 'log.level=info\nfeature.x=true\n' }))]);
  const hook: Obj = {
    kind: 'MutatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', metadata: { name: 'pod-injector' },
    webhooks: [{ name: 'inject.evil.example', clientConfig: { url: 'https://203.0.113.20/mutate' }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], sideEffects: 'None', admissionReviewVersions: ['v1'] }],
  };
  section('mutating admission webhook changed', 200745, 10,
    [ev('create', 'mutatingwebhookconfigurations', { req: hook, resp: stored(hook) })],
    [ev('list', 'mutatingwebhookconfigurations', { level: 'Metadata' }), ev('create', 'mutatingwebhookconfigurations', { code: 403, req: hook })]);
  const kyverno = { name: 'kyverno-resource-validating-webhook-cfg', level: 'Metadata' };
  section('validating admission webhook removed', 200746, 10,
    [ev('delete', 'validatingwebhookconfigurations', kyverno)], [ev('get', 'validatingwebhookconfigurations', kyverno)]);
  const node = (name: string): Obj => ({ kind: 'Node', apiVersion: 'v1', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {} });
  section('node joined from outside the node networks', 200747, 10,
    [ev('create', 'nodes', { user: 'system:node:rogue-1', ip: '203.0.113.50', ua: KUBELET_UA, req: node('rogue-1'), resp: stored(node('rogue-1')) })],
    [ev('create', 'nodes', { user: 'system:node:worker-7', ip: '10.0.3.7', ua: KUBELET_UA, req: node('worker-7'), resp: stored(node('worker-7')) })]);

  // Failures and destruction.
  section('authentication failed', 200713, 5,
    [ev('list', 'pods', { level: 'Metadata', user: 'system:anonymous', code: 401, ip: '203.0.113.7', objref: false, uri: '/api/v1/pods' })],
    [ev('list', 'pods', { level: 'Metadata', code: 403 })]);
  const fail401 = (ip: string) => ev('list', 'secrets', { level: 'Metadata', user: 'system:anonymous', code: 401, ip, objref: false, uri: '/api/v1/secrets' });
  const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  section('failed authentications from one address', 200714, 10,
    [times(8, () => fail401('203.0.113.7'))],
    [times(7, () => fail401('203.0.113.7')), times(8, (i) => fail401(`203.0.113.${10 + i}`))]);
  section('request denied', 200715, 5,
    [ev('list', 'secrets', { ns: 'kube-system', level: 'Metadata', code: 403 })], [ev('list', 'pods', { ns: 'shop', level: 'Metadata' })]);
  const deny = (user: string) => ev('list', 'secrets', { ns: 'kube-system', level: 'Metadata', code: 403, user });
  section('many requests denied for one user', 200716, 10,
    [times(10, () => deny('mallory'))],
    [times(9, () => deny('mallory')), times(10, (i) => deny(`user${i}`))]);
  section('namespace deleted', 200719, 10,
    [ev('delete', 'namespaces', { name: 'shop', level: 'Metadata' })], [ev('delete', 'pods', { ns: 'shop', name: 'api-7d9f', level: 'Metadata' })]);
  return out;
}

function render(item: Obj | { raw: string } | { shipper: Obj }, order: number): string {
  if ('raw' in item && typeof item['raw'] === 'string' && Object.keys(item).length === 1) return item['raw'];
  if ('shipper' in item && Object.keys(item).length === 1) return shipper(item['shipper'] as Obj);
  if (order === 2) return shipper(item as Obj);
  return compact(order === 0 ? (item as Obj) : rev(item as Obj));
}

/** The text of ruleset/tests/kubernetes-audit.ini. */
export function kubernetesAuditIni(): string {
  const out = [
    '; Vigil ruleset tests: Kubernetes API server audit log (0700-kubernetes-audit.xml), on the ruleset\'s own and on',
    '; top of Wazuh\'s. Generated by ruleset/test/kubernetes-audit-cases.ts (edit the cases there): events in the shape',
    '; the API server writes them (stage ResponseComplete, requestObject and responseObject at level RequestResponse).',
    '; Every event is given twice: in the API server\'s key order, and with the keys of every object in reverse order (as',
    '; a webhook receiver, a log shipper or jq may write them); the first must-match event of a section also as a',
    '; shipper may write it: reversed, spaced, without kind and apiVersion.',
    '',
  ];
  for (const s of sections()) {
    out.push(`[k8s: ${s.title}]`);
    let n = 0;
    for (const [kind, items] of [['pass', s.passes], ['fail', s.fails]] as const) {
      items.forEach((item, idx) => {
        const special = !Array.isArray(item) && (Object.keys(item).length === 1 && ('raw' in item || 'shipper' in item));
        const plain = s.orders && !special;
        const orders = !plain ? [0] : kind === 'pass' && idx === 0 && !Array.isArray(item) ? [0, 1, 2] : [0, 1];
        for (const order of orders) {
          n += 1;
          const seq = Array.isArray(item) ? item : [item];
          for (const e of seq) out.push(`log ${n} ${kind} = ${render(e, order)}`);
        }
      });
    }
    out.push(`rule = ${s.rule}`, `alert = ${s.level}`, 'decoder = vigil-k8s-audit', '');
  }
  return out.join('\n');
}

export const KUBERNETES_AUDIT_INI = join(import.meta.dirname, '..', 'tests', 'kubernetes-audit.ini');

if (process.argv.includes('--write')) writeFileSync(KUBERNETES_AUDIT_INI, kubernetesAuditIni());
