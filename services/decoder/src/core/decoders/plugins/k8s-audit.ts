import { posix } from 'node:path';
import { addDynamic, type DecodedFields } from '../decoded-fields.ts';

/**
 * Vigil's Kubernetes audit enrichment (`<plugin_decoder>Vigil_K8sAudit_Decoder</plugin_decoder>`): after the
 * JSON_Decoder's fields, a few flat `k8s.*` fields derived from one API server audit event (audit.k8s.io/v1
 * `Event`), so that rules can judge nested JSON (every container of a pod template, every rule of a Role) with
 * Wazuh's ordinary rule options (`<field>`, `<list>`) instead of patterns over the raw line. The fields state
 * facts; rules (and their CDB lists) decide what is suspicious. docs/decoding.md lists every field.
 *
 * Pure: the parsed object (or undefined when the line was not a JSON object) in, fields out.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objAt = (o: unknown, ...path: string[]): Obj | undefined => {
  let cur: unknown = o;
  for (const k of path) cur = isObj(cur) ? cur[k] : undefined;
  return isObj(cur) ? cur : undefined;
};

/** Distinct non-empty values in first-seen order, joined with commas (the shape rules match with `(^|,)x(,|$)`). */
function joined(values: Iterable<string>): string | undefined {
  const seen = [...new Set([...values].filter((v) => v !== ''))];
  return seen.length > 0 ? seen.join(',') : undefined;
}

function put(fields: DecodedFields, name: string, value: string | undefined): void {
  if (value !== undefined && value !== '') addDynamic(fields, name, value);
}

/** Required members of an audit Event (the API's own required fields, whatever their order in the line). */
export function isAuditEvent(o: Obj): boolean {
  const kind = o['kind'];
  return (
    (kind === undefined || kind === 'Event') &&
    str(o['auditID']) !== undefined &&
    str(o['stage']) !== undefined &&
    str(o['verb']) !== undefined &&
    typeof o['requestURI'] === 'string' &&
    isObj(o['user'])
  );
}

/** Workload kinds (by resource) and where their pod spec lives in the object. */
const POD_SPEC_PATH: Record<string, string[]> = {
  pods: ['spec'],
  podtemplates: ['template', 'spec'],
  deployments: ['spec', 'template', 'spec'],
  daemonsets: ['spec', 'template', 'spec'],
  statefulsets: ['spec', 'template', 'spec'],
  replicasets: ['spec', 'template', 'spec'],
  replicationcontrollers: ['spec', 'template', 'spec'],
  jobs: ['spec', 'template', 'spec'],
  cronjobs: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const WRITE_VERBS = new Set(['create', 'update', 'patch']);

const KIND_OF: Record<string, string> = {
  pods: 'Pod', podtemplates: 'PodTemplate', deployments: 'Deployment', daemonsets: 'DaemonSet', statefulsets: 'StatefulSet',
  replicasets: 'ReplicaSet', replicationcontrollers: 'ReplicationController', jobs: 'Job', cronjobs: 'CronJob',
};

/**
 * The workload a pod spec belongs to, `namespace/Kind/name`: the object itself for a workload kind; for a pod, its
 * controlling owner (a ReplicaSet made by a Deployment is named for the Deployment: its `pod-template-hash`
 * suffix is dropped, so that the name stays the same across rollouts), else the pod itself.
 */
function workloadOf(resource: string, namespace: string | undefined, name: string | undefined, meta: Obj | undefined): string {
  const ns = namespace ?? '';
  if (resource !== 'pods') return `${ns}/${KIND_OF[resource] ?? resource}/${name ?? ''}`;
  const owner = arr(meta?.['ownerReferences']).find((r) => isObj(r) && r['controller'] === true);
  if (!isObj(owner)) return `${ns}/Pod/${name ?? ''}`;
  const kind = str(owner['kind']) ?? '?';
  const ownerName = str(owner['name']) ?? '?';
  const hash = str(objAt(meta, 'labels')?.['pod-template-hash']);
  if (kind === 'ReplicaSet' && hash !== undefined && ownerName.endsWith(`-${hash}`)) return `${ns}/Deployment/${ownerName.slice(0, -hash.length - 1)}`;
  return `${ns}/${kind}/${ownerName}`;
}

/**
 * The object the request leaves behind: `responseObject` when the API server logged it (RequestResponse level)
 * and it is the object rather than a Status, else `requestObject` (Request level; for a patch, only the patch).
 */
function bodyOf(o: Obj): { body: Obj | undefined; from: string | undefined; jsonPatch: boolean } {
  const resp = o['responseObject'];
  if (isObj(resp) && resp['kind'] !== 'Status') return { body: resp, from: 'responseObject', jsonPatch: false };
  const req = o['requestObject'];
  if (isObj(req)) return { body: req, from: 'requestObject', jsonPatch: false };
  return { body: undefined, from: undefined, jsonPatch: Array.isArray(req) };
}

/** `registry/repo:tag` → the registry host, as the container runtime resolves it (Docker Hub when none is named). */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first.toLowerCase() === 'index.docker.io' ? 'docker.io' : first.toLowerCase();
  return 'docker.io';
}

/**
 * A hostPath as the node resolves it, so that `/etc/`, `//etc`, `/./etc` and `/var/../etc` all read `/etc`
 * (relative paths are made absolute: the kubelet refuses them, but the rule must still see them).
 */
export function normalizeHostPath(path: string): string {
  const n = posix.normalize(path.startsWith('/') ? path : `/${path}`);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

function capName(c: unknown): string | undefined {
  const s = str(c)?.trim().toUpperCase();
  if (s === undefined) return undefined;
  return s.startsWith('CAP_') ? s.slice(4) : s;
}

interface PodFacts {
  containers: string[];
  images: string[];
  privileged: string[];
  capabilities: string[];
  hostNamespaces: string[];
  hostPaths: string[];
  rootEscalation: string[];
}

/** Facts of one pod spec: every container, init container and ephemeral container. */
export function podFacts(spec: Obj): PodFacts {
  const f: PodFacts = { containers: [], images: [], privileged: [], capabilities: [], hostNamespaces: [], hostPaths: [], rootEscalation: [] };
  const podSc = objAt(spec, 'securityContext');
  const podUser = podSc?.['runAsUser'];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[key] === true) f.hostNamespaces.push(key);
  for (const v of arr(spec['volumes'])) {
    const p = str(objAt(v, 'hostPath')?.['path']);
    if (p !== undefined) f.hostPaths.push(normalizeHostPath(p));
  }
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of arr(spec[list])) {
      if (!isObj(c)) continue;
      const name = str(c['name']) ?? '?';
      f.containers.push(name);
      const image = str(c['image']);
      if (image !== undefined) f.images.push(image);
      const sc = objAt(c, 'securityContext');
      if (sc?.['privileged'] === true) f.privileged.push(name);
      for (const cap of arr(objAt(sc, 'capabilities')?.['add'])) {
        const n = capName(cap);
        if (n !== undefined) f.capabilities.push(n);
      }
      const user = sc !== undefined && sc['runAsUser'] !== undefined ? sc['runAsUser'] : podUser;
      if (user === 0 && sc?.['allowPrivilegeEscalation'] !== false) f.rootEscalation.push(name);
    }
  }
  return f;
}

const SUMMARY_MAX = 320;

function podSummary(f: PodFacts): string {
  const parts: string[] = [];
  if (f.privileged.length > 0) parts.push(`privileged: ${f.privileged.join(', ')}`);
  if (f.capabilities.length > 0) parts.push(`capabilities added: ${[...new Set(f.capabilities)].join(', ')}`);
  if (f.hostNamespaces.length > 0) parts.push(`host namespaces: ${f.hostNamespaces.join(', ')}`);
  if (f.hostPaths.length > 0) parts.push(`hostPath: ${[...new Set(f.hostPaths)].join(', ')}`);
  if (f.rootEscalation.length > 0) parts.push(`root with privilege escalation: ${f.rootEscalation.join(', ')}`);
  parts.push(`images: ${f.images.length > 0 ? [...new Set(f.images)].join(', ') : 'none'}`);
  const text = parts.join('; ');
  // Descriptions quote it: keep them short (Wazuh gives up on a description longer than 1,024 characters).
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

/** RBAC verbs that write. */
const RBAC_WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', '*']);
const READ_VERBS = new Set(['get', 'list', 'watch', '*']);
const RBAC_RESOURCES = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', '*']);

/**
 * What the rules of a Role or ClusterRole grant, as tokens: `wildcard` (a `*` verb, resource or API group),
 * `secrets` (read), `pods/exec`, `pods/attach`, `pods/portforward`, `escalate`, `bind`, `impersonate`,
 * `rbac-write` (writes to rbac.authorization.k8s.io), `token-request` (serviceaccounts/token create),
 * `nodes/proxy`, `csr-approval`, `pods-create`. Sorted, comma-joined.
 */
export function rbacGrants(rules: unknown[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    if (!isObj(r)) continue;
    const verbs = arr(r['verbs']).filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
    const resources = arr(r['resources']).filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
    const groups = arr(r['apiGroups']).filter((v): v is string => typeof v === 'string');
    if (arr(r['nonResourceURLs']).length > 0 && resources.length === 0) {
      if (verbs.includes('*') || arr(r['nonResourceURLs']).includes('*')) out.add('wildcard');
      continue;
    }
    const anyGroup = groups.includes('*');
    const core = anyGroup || groups.includes('');
    const has = (res: string) => resources.includes(res) || resources.includes('*') || (res.includes('/') && resources.includes(`${res.split('/')[0]}/*`));
    const verb = (v: string) => verbs.includes(v) || verbs.includes('*');
    if (verbs.includes('*') || resources.includes('*') || anyGroup) out.add('wildcard');
    if (core && has('secrets') && verbs.some((v) => READ_VERBS.has(v))) out.add('secrets');
    if (core) for (const sub of ['pods/exec', 'pods/attach', 'pods/portforward']) if (has(sub) && (verb('create') || verb('get'))) out.add(sub);
    if (core && has('pods') && verb('create')) out.add('pods-create');
    if (core && has('serviceaccounts/token') && verb('create')) out.add('token-request');
    if (core && has('nodes/proxy') && verbs.length > 0) out.add('nodes/proxy');
    for (const v of ['escalate', 'bind', 'impersonate']) if (verb(v)) out.add(v);
    if ((anyGroup || groups.includes('rbac.authorization.k8s.io')) && resources.some((x) => RBAC_RESOURCES.has(x)) && verbs.some((v) => RBAC_WRITE.has(v))) out.add('rbac-write');
    if ((anyGroup || groups.includes('certificates.k8s.io')) && has('certificatesigningrequests/approval') && (verb('update') || verb('patch'))) out.add('csr-approval');
  }
  return [...out].sort();
}

/** `ClusterRole/name`, or `Role/namespace/name`: how rules and the privileged-roles list name a role. */
function roleKey(kind: string | undefined, namespace: string | undefined, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (kind === 'ClusterRole') return `ClusterRole/${name}`;
  if (kind === 'Role') return `Role/${namespace ?? ''}/${name}`;
  return undefined;
}

function subjectText(s: unknown, bindingNamespace: string | undefined): string | undefined {
  if (!isObj(s)) return undefined;
  const kind = str(s['kind']) ?? '?';
  const name = str(s['name']) ?? '?';
  if (kind === 'ServiceAccount') return `ServiceAccount ${str(s['namespace']) ?? bindingNamespace ?? ''}/${name}`;
  return `${kind} ${name}`;
}

const CREDENTIAL_VALUE = [
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----/, // PEM private key
  /(?:^|[\s"'&;,])(?:password|passwd|pwd|secret|token|api[_-]?key)\s*[:=]\s*\S/i, // key=value credentials
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i, // URL with user:password@
  /\bgh[pousr]_[A-Za-z0-9]{36}\b/, // GitHub token
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/, // Slack token
];

/** ConfigMap keys whose value looks like a credential (the values themselves are never copied into a field). */
export function credentialLikeKeys(data: Obj | undefined): string[] {
  if (data === undefined) return [];
  return Object.keys(data).filter((k) => {
    const v = data[k];
    return typeof v === 'string' && CREDENTIAL_VALUE.some((re) => re.test(v));
  });
}

/**
 * Adds the `k8s.*` fields of one audit event. `parsed` is the line's first JSON object, or undefined when the
 * line held none (invalid or truncated JSON): then `k8s.audit` is `invalid_json`, so that the event is reported
 * rather than lost.
 */
export function addK8sAuditFields(parsed: Obj | undefined, fields: DecodedFields): void {
  if (parsed === undefined) {
    put(fields, 'k8s.audit', 'invalid_json');
    return;
  }
  if (!isAuditEvent(parsed)) {
    put(fields, 'k8s.audit', 'not_an_event');
    return;
  }
  put(fields, 'k8s.audit', 'event');
  const ref = objAt(parsed, 'objectRef');
  const resource = str(ref?.['resource']);
  const subresource = str(ref?.['subresource']);
  const verb = str(parsed['verb']) as string;
  const { body, from, jsonPatch } = bodyOf(parsed);
  const meta = objAt(body, 'metadata');
  const respMeta = objAt(parsed, 'responseObject', 'metadata');
  const reqMeta = objAt(parsed, 'requestObject', 'metadata');

  // Who and from where, without JSON arrays.
  const ips = arr(parsed['sourceIPs']).filter((v): v is string => typeof v === 'string');
  put(fields, 'k8s.source_ip', ips[0]);
  put(fields, 'k8s.source_ips', joined(ips));
  put(fields, 'k8s.user_groups', joined(arr(objAt(parsed, 'user')?.['groups']).filter((v): v is string => typeof v === 'string')));
  const imp = objAt(parsed, 'impersonatedUser');
  if (imp !== undefined) {
    put(fields, 'k8s.impersonated_user', str(imp['username']) ?? '(groups only)');
    put(fields, 'k8s.impersonated_groups', joined(arr(imp['groups']).filter((v): v is string => typeof v === 'string')));
  }

  // The object, named as a human would: generateName pods get their real name from the response when logged.
  const namespace = str(ref?.['namespace']) ?? str(meta?.['namespace']) ?? str(reqMeta?.['namespace']);
  const generateName = str(reqMeta?.['generateName']) ?? str(respMeta?.['generateName']);
  const name = str(ref?.['name']) ?? str(respMeta?.['name']) ?? str(reqMeta?.['name']) ?? (generateName !== undefined ? `${generateName}…` : undefined);
  put(fields, 'k8s.namespace', namespace);
  put(fields, 'k8s.name', name);
  const what = resource === undefined ? undefined : subresource === undefined ? resource : `${resource}/${subresource}`;
  put(fields, 'k8s.resource', what);
  put(fields, 'k8s.target', name !== undefined ? (namespace !== undefined ? `${namespace}/${name}` : name) : namespace !== undefined ? `namespace ${namespace}` : 'cluster-wide');

  if (!WRITE_VERBS.has(verb) || resource === undefined) return;

  // Pod specs: pods and every kind that embeds a pod template; ephemeral containers (kubectl debug) too.
  const specPath = POD_SPEC_PATH[resource];
  if (specPath !== undefined && (subresource === undefined || (resource === 'pods' && subresource === 'ephemeralcontainers'))) {
    // Who wrote which workload: the key of the trusted-workloads list. Set for every write of a pod spec, so that
    // the rules' not_match_key lookup on it can never be skipped by leaving something out of the object.
    put(fields, 'k8s.pod.origin', `${str(objAt(parsed, 'user')?.['username']) ?? '?'} ${workloadOf(resource, namespace, name, meta)}`);
    if (jsonPatch) put(fields, 'k8s.pod.unjudged', 'json-patch');
    const spec = objAt(body, ...specPath);
    if (spec !== undefined && from !== undefined) {
      const f = podFacts(spec);
      put(fields, 'k8s.pod.spec_from', from);
      put(fields, 'k8s.pod.containers', joined(f.containers));
      put(fields, 'k8s.pod.images', joined(f.images));
      const registries = [...new Set(f.images.map(registryOf))].sort();
      put(fields, 'k8s.pod.registries', joined(registries));
      put(fields, 'k8s.pod.registry_count', String(registries.length));
      registries.slice(0, 3).forEach((r, i) => put(fields, `k8s.pod.registry${i + 1}`, r));
      put(fields, 'k8s.pod.privileged', joined(f.privileged));
      put(fields, 'k8s.pod.capabilities_added', joined([...f.capabilities].sort()));
      put(fields, 'k8s.pod.host_namespaces', joined(f.hostNamespaces));
      put(fields, 'k8s.pod.host_paths', joined(f.hostPaths));
      put(fields, 'k8s.pod.root_escalation', joined(f.rootEscalation));
      put(fields, 'k8s.pod.summary', podSummary(f));
      const annotations = objAt(body, 'metadata', 'annotations');
      if (resource === 'pods' && annotations !== undefined && str(annotations['kubernetes.io/config.mirror']) !== undefined) put(fields, 'k8s.pod.mirror', 'true');
      const owner = arr(meta?.['ownerReferences']).find((r) => isObj(r) && r['controller'] === true);
      if (isObj(owner)) put(fields, 'k8s.pod.owner', `${str(owner['kind']) ?? '?'}/${str(owner['name']) ?? '?'}`);

    }
    return;
  }
  if (subresource !== undefined) return;

  // RBAC: what a role grants, what a binding binds to whom.
  if (resource === 'roles' || resource === 'clusterroles') {
    const kind = resource === 'roles' ? 'Role' : 'ClusterRole';
    put(fields, 'k8s.rbac.role', roleKey(kind, namespace, str(meta?.['name']) ?? name));
    if (body !== undefined) {
      const grants = rbacGrants(arr(body['rules']));
      put(fields, 'k8s.rbac.grants', grants.length > 0 ? grants.join(',') : 'none');
      if (isObj(body['aggregationRule'])) put(fields, 'k8s.rbac.aggregated', 'true');
    }
    return;
  }
  if (resource === 'rolebindings' || resource === 'clusterrolebindings') {
    const roleRef = objAt(body, 'roleRef');
    if (roleRef !== undefined) put(fields, 'k8s.rbac.role', roleKey(str(roleRef['kind']), namespace, str(roleRef['name'])));
    if (body !== undefined) put(fields, 'k8s.rbac.subjects', joined(arr(body['subjects']).map((s) => subjectText(s, namespace) ?? '')));
    return;
  }

  if (resource === 'services') {
    put(fields, 'k8s.service.type', str(objAt(body, 'spec')?.['type']));
    return;
  }
  if (resource === 'configmaps') {
    const data = { ...(objAt(body, 'data') ?? {}), ...(objAt(body, 'binaryData') ?? {}) };
    put(fields, 'k8s.configmap.keys', joined(Object.keys(data)));
    put(fields, 'k8s.configmap.credential_values', joined(credentialLikeKeys(objAt(body, 'data'))));
  }
}
