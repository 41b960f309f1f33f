/**
 * deploy/kubernetes/audit-policy.yaml gives every Kubernetes attack technique of docs/ruleset.md the audit level
 * its rules need, never logs credentials' bodies, and the table names every rule of the Kubernetes audit file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
type Level = (typeof LEVELS)[number];

interface GroupResources {
  group?: string;
  resources?: string[];
}
interface PolicyRule {
  level: Level;
  users?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
}
interface Policy {
  apiVersion: string;
  kind: string;
  omitStages?: string[];
  rules: PolicyRule[];
}

interface Request {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
}

function resourceMatches(entry: string, r: Request): boolean {
  const [res, sub] = entry.split('/');
  if (sub === undefined) return r.subresource === undefined && (res === '*' || res === r.resource);
  return (res === '*' || res === r.resource) && (sub === '*' || sub === r.subresource);
}

/** The level of the first policy rule that matches, as the API server's policy checker decides (for resource requests). */
function levelFor(policy: Policy, r: Request): Level {
  for (const rule of policy.rules) {
    if (rule.users && !rule.users.includes(r.user)) continue;
    if (rule.verbs && !rule.verbs.includes(r.verb)) continue;
    if (rule.nonResourceURLs) continue;
    if (rule.resources && !rule.resources.some((g) => (g.group ?? '') === r.group && (!g.resources || g.resources.length === 0 || g.resources.some((e) => resourceMatches(e, r))))) continue;
    return rule.level;
  }
  return 'None';
}

/** `verb [group/]resource[/subresource]`, as the table's last column writes a request. */
function parseRequest(text: string): Request {
  const [verb, path] = text.split(' ') as [string, string];
  const parts = path.split('/');
  const isGroup = (s: string) => s.includes('.') || s === 'apps' || s === 'batch';
  let group = '';
  if (parts.length === 3 || (parts.length === 2 && isGroup(parts[0] as string))) group = parts.shift() as string;
  const [resource, subresource] = parts as [string, string | undefined];
  return subresource === undefined ? { user: 'alice', verb, group, resource } : { user: 'alice', verb, group, resource, subresource };
}

const policy = loadYaml(readFileSync(join(ROOT, 'deploy/kubernetes/audit-policy.yaml'), 'utf8')) as Policy;
const doc = readFileSync(join(ROOT, 'docs/ruleset.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Kubernetes: attack techniques'), doc.indexOf('**Trust is by exact identity'));
const rows = section
  .split('\n')
  .filter((l) => /^\| [^-|]/.test(l) && !l.startsWith('| technique'))
  .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()));

test('the audit policy is an audit.k8s.io/v1 Policy that omits RequestReceived and ends with a catch-all at Metadata', () => {
  assert.equal(policy.apiVersion, 'audit.k8s.io/v1');
  assert.equal(policy.kind, 'Policy');
  assert.ok(policy.omitStages?.includes('RequestReceived'));
  const last = policy.rules.at(-1) as PolicyRule;
  assert.deepEqual(last, { level: 'Metadata' });
  for (const r of policy.rules) assert.ok(LEVELS.includes(r.level), `level ${r.level}`);
});

test('the technique table of docs/ruleset.md has rows, and the policy gives each row\'s example request at least the level it needs', () => {
  assert.ok(rows.length >= 30, `${rows.length} rows read`);
  const short: string[] = [];
  for (const row of rows) {
    const [technique, , , needs, example] = row as [string, string, string, string, string];
    const need = (needs.split(' ')[0] as string) === 'any' ? 'None' : (needs.split(' ')[0] as Level);
    assert.ok(LEVELS.includes(need), `${technique}: level '${needs}'`);
    const got = levelFor(policy, parseRequest(example.replace(/`/g, '')));
    if (LEVELS.indexOf(got) < LEVELS.indexOf(need)) short.push(`${technique}: ${example} is logged at ${got}, needs ${need}`);
  }
  assert.deepEqual(short, []);
});

test('credentials are never logged above Metadata; workload, RBAC and webhook writes are logged with the stored object', () => {
  const at = (text: string) => levelFor(policy, parseRequest(text));
  for (const r of ['get secrets', 'create secrets', 'update secrets', 'create serviceaccounts/token', 'create authentication.k8s.io/tokenreviews']) assert.equal(at(r), 'Metadata', r);
  for (const r of ['create pods', 'patch pods/ephemeralcontainers', 'patch apps/daemonsets', 'update batch/cronjobs', 'create rbac.authorization.k8s.io/roles', 'patch admissionregistration.k8s.io/mutatingwebhookconfigurations', 'patch services', 'create configmaps', 'create nodes']) {
    assert.equal(at(r), 'RequestResponse', r);
  }
  for (const r of ['patch pods/status', 'update apps/daemonsets/status', 'create pods/exec', 'get pods/log']) assert.equal(at(r), 'Metadata', r);
  assert.equal(at('update coordination.k8s.io/leases'), 'None');
});

test('every rule of the Kubernetes audit rules but the grouping ones is in a row of the technique table', () => {
  const xml = readFileSync(join(ROOT, 'ruleset/rules/0700-kubernetes-audit.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const ids = [...xml.matchAll(/<rule id="(\d+)" level="(\d+)"/g)].filter((m) => m[2] !== '0').map((m) => m[1] as string);
  const listed = new Set(rows.flatMap((r) => (r[1] as string).split(/,\s*/)));
  assert.deepEqual(ids.filter((id) => !listed.has(id)), []);
});

test('the policy checker itself: first match wins, subresources only by name, users and verbs filter', () => {
  const p: Policy = {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    rules: [
      { level: 'None', users: ['bob'] },
      { level: 'Request', verbs: ['create'], resources: [{ group: '', resources: ['pods'] }] },
      { level: 'RequestResponse', resources: [{ group: 'apps' }] },
      { level: 'Metadata' },
    ],
  };
  assert.equal(levelFor(p, { user: 'bob', verb: 'create', group: '', resource: 'pods' }), 'None');
  assert.equal(levelFor(p, { user: 'alice', verb: 'create', group: '', resource: 'pods' }), 'Request');
  assert.equal(levelFor(p, { user: 'alice', verb: 'create', group: '', resource: 'pods', subresource: 'exec' }), 'Metadata');
  assert.equal(levelFor(p, { user: 'alice', verb: 'patch', group: '', resource: 'pods' }), 'Metadata');
  assert.equal(levelFor(p, { user: 'alice', verb: 'get', group: 'apps', resource: 'deployments' }), 'RequestResponse');
  assert.deepEqual(parseRequest('update certificates.k8s.io/certificatesigningrequests/approval'), { user: 'alice', verb: 'update', group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' });
  assert.deepEqual(parseRequest('create pods/exec'), { user: 'alice', verb: 'create', group: '', resource: 'pods', subresource: 'exec' });
});
