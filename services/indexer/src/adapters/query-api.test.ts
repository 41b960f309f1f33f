import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Alert } from '@vigil/common';
import { SqliteAlertStore, openAlertsReadOnly } from './sqlite-store.ts';
import type { SqliteAlertReader } from './sqlite-reader.ts';
import { startQueryApi, type RunningQueryApi } from './query-api.ts';
import { fimAlert, scaCheckAlert, scaSummaryAlert, sshAlert, T0 } from '../../test/alert-fixtures.ts';

const TOKEN = 'correct-horse-battery-staple';
const NOW = T0 + 3600_000;
const dir = mkdtempSync(join(tmpdir(), 'vigil-api-'));
let api: RunningQueryApi;
let open: RunningQueryApi;
let reader: SqliteAlertReader;

// Fixture: 10 sshd alerts (level 5, rule 5710, agent 001) one second apart, two high-level alerts on agent 002,
// FIM changes of /etc/passwd, SCA results.
const ssh = Array.from({ length: 10 }, (_, i) => sshAlert(i));
const root: Alert = {
  ...sshAlert(100, { at: T0 + 60_000 }),
  rule: { level: 12, description: 'Root login from unknown host', id: '5720', firedtimes: 1, mail: true, groups: ['sshd', 'root_login'], hipaa: ['164.312.b'], nist_800_53: ['AC.7'] },
  agent: { id: '002', name: 'db01' },
  full_log: 'sshd[1]: Accepted publickey for root from 6.6.6.6 quetzalcoatl',
};
const root2: Alert = { ...root, id: 'root-2', timestamp: sshAlert(0, { at: T0 + 120_000 }).timestamp };
const fim = [
  fimAlert(200, '/etc/passwd', 'added', { size: '10', md5: 'a' }, T0 + 200_000),
  fimAlert(201, '/etc/passwd', 'modified', { size: '20', md5: 'b', before: { size: '10', md5: 'a' } }, T0 + 201_000),
  fimAlert(202, '/etc/group', 'added', { size: '5', md5: 'c' }, T0 + 202_000),
];
const sca = [scaCheckAlert(300, '001', '1001', 'failed', T0 + 300_000), scaCheckAlert(301, '001', '1002', 'passed', T0 + 301_000), scaSummaryAlert(302, '001', 1, 1, T0 + 302_000)];

before(async () => {
  const store = new SqliteAlertStore(join(dir, 'alerts.db'));
  store.write([...ssh, root, root2, ...fim, ...sca]);
  store.close();
  reader = openAlertsReadOnly(join(dir, 'alerts.db'));
  const logger = createLogger({ level: 'silent' });
  api = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, token: TOKEN, maxLimit: 50, now: () => NOW });
  open = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, maxLimit: 50, now: () => NOW });
});

after(async () => {
  await api.stop();
  await open.stop();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string, options: { token?: string | null; method?: string } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const token = options.token === undefined ? TOKEN : options.token;
  const res = await fetch(`${api.url}${path}`, { method: options.method ?? 'GET', headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const ids = (body: { items: Alert[] }) => body.items.map((a) => a.id);

test('token: missing or wrong is 401; right is 200; /health needs none', async () => {
  const missing = await get('/alerts', { token: null });
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
  assert.equal(missing.body.error.code, 'UNAUTHORIZED');
  assert.equal((await get('/alerts', { token: 'wrong-token-wrong-token' })).status, 401);
  assert.equal((await get('/alerts', { token: TOKEN.slice(0, -1) })).status, 401);
  assert.equal((await get('/agents/001/sca', { token: 'x' })).status, 401);
  assert.equal((await get('/alerts')).status, 200);
  assert.deepEqual((await get('/health', { token: null })).body, { status: 'ok' });
  const res = await fetch(`${open.url}/alerts?limit=1`);
  assert.equal(res.status, 200, 'without a configured token the API is open');
});

test('read-only: anything but GET is 405', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const r = await get('/alerts', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
});

test('GET /alerts: newest first, paging with limit/offset/next, count', async () => {
  const all = await get('/alerts?limit=50&count=true');
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 18);
  assert.equal(all.body.items.length, 18);
  assert.equal(all.body.next, undefined);
  const page1 = await get('/alerts?limit=5');
  const page2 = await get(`/alerts?limit=5&offset=${page1.body.next}`);
  assert.equal(page1.body.next, 5);
  assert.deepEqual([...ids(page1.body), ...ids(page2.body)], ids(all.body).slice(0, 10));
  assert.deepEqual(ids((await get('/alerts?order=asc&limit=2')).body), [ssh[0]!.id, ssh[1]!.id]);
});

test('GET /alerts filters: time range, level, max_level, rule, agent (id or name), group, compliance, full text', async () => {
  const q = async (qs: string) => ids((await get(`/alerts?limit=50&order=asc&${qs}`)).body);
  const iso = (ms: number) => new Date(ms).toISOString();
  assert.deepEqual(await q(`from=${T0 + 2000}&to=${T0 + 4000}`), [ssh[2]!.id, ssh[3]!.id]);
  assert.deepEqual(await q(`from=${iso(T0 + 8000)}&to=${iso(T0 + 60_001)}`), [ssh[8]!.id, ssh[9]!.id, root.id]);
  assert.deepEqual(await q('from=58m&group=root_login'), [root2.id], 'a duration is back from now');
  assert.deepEqual(await q('level=12'), [root.id, root2.id]);
  assert.deepEqual((await q('max_level=3')).length, 2, 'the passed SCA check and the summary');
  assert.deepEqual(await q('rule=5720'), [root.id, root2.id]);
  assert.deepEqual(await q('agent=db01'), [root.id, root2.id]);
  assert.deepEqual(await q('agent=002'), [root.id, root2.id]);
  assert.deepEqual((await q('group=authentication_failed')).length, 10);
  assert.deepEqual((await q('compliance=hipaa')), [root.id, root2.id]);
  assert.deepEqual((await q('compliance=pci_dss:11.5')), fim.map((a) => a.id));
  assert.deepEqual((await q('compliance=pci_dss')).length, 13);
  assert.deepEqual((await q('compliance=mitre:T1110.001')).length, 10);
  assert.deepEqual(await q('q=quetzalcoatl'), [root.id, root2.id]);
  assert.deepEqual(await q('q=admin3'), [ssh[3]!.id]);
  assert.deepEqual(await q('q=admin3&agent=002'), []);
  assert.deepEqual(await q('level=5&max_level=5&group=sshd&compliance=gdpr&agent=web01&rule=5710&from=0&to=' + NOW), ssh.map((a) => a.id));
});

test('GET /alerts: bad parameters are 400 naming the parameter', async () => {
  const cases: Array<[string, string]> = [
    ['level=high', 'level'],
    ['level=17', 'level'],
    ['max_level=-1', 'max_level'],
    ['limit=0', 'limit'],
    ['limit=51', 'limit'],
    ['offset=x', 'offset'],
    ['order=sideways', 'order'],
    ['from=yesterday', 'from'],
    ['to=2024-13-45', 'to'],
    [`from=${T0}&to=${T0}`, 'to'],
    ['rule=57;10', 'rule'],
    ["agent=x' OR '1'='1", 'agent'],
    ['group=a%20b', 'group'],
    ['compliance=iso27001', 'compliance'],
    ['q=', 'q'],
    ['q=%20%20', 'q'],
    ['count=maybe', 'count'],
    ['level=3&level=4', 'level'],
    ['levle=3', 'levle'],
  ];
  for (const [qs, parameter] of cases) {
    const r = await get(`/alerts?${qs}`);
    assert.equal(r.status, 400, qs);
    assert.equal(r.body.error.code, 'QUERY_INVALID', qs);
    assert.equal(r.body.error.parameter, parameter, qs);
    assert.match(r.body.error.message, new RegExp(`parameter '${parameter}'`), qs);
  }
});

test('GET /alerts/<id>: the whole alert, 404 when unknown, 400 for parameters', async () => {
  const r = await get(`/alerts/${encodeURIComponent(root.id)}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, root);
  const missing = await get('/alerts/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'NOT_FOUND');
  assert.equal((await get(`/alerts/${root.id}?x=1`)).body.error.parameter, 'x');
});

test('GET /agents', async () => {
  const r = await get('/agents');
  assert.deepEqual(r.body.items.map((a: { id: string; name: string }) => [a.id, a.name]), [['001', 'web01'], ['002', 'db01']]);
  assert.equal(r.body.items[1].lastAlert, new Date(T0 + 120_000).toISOString());
});

test('GET /agents/<id>/fim: state of a path, every path, history', async () => {
  const state = await get('/agents/001/fim?path=/etc/passwd');
  assert.equal(state.status, 200);
  assert.deepEqual(state.body, { agentId: '001', path: '/etc/passwd', event: 'modified', time: new Date(T0 + 201_000).toISOString(), alertId: fim[1]!.id, state: { size: '20', md5: 'b', perm: 'rw-r--r--', mode: 'realtime' } });
  assert.equal((await get('/agents/001/fim?path=/etc/nothing')).status, 404);
  const list = await get('/agents/001/fim?prefix=/etc/&limit=10');
  assert.deepEqual(list.body.items.map((e: { path: string }) => e.path), ['/etc/group', '/etc/passwd']);
  assert.deepEqual((await get('/agents/001/fim?prefix=/etc/p')).body.items.map((e: { path: string }) => e.path), ['/etc/passwd']);
  const history = await get('/agents/001/fim/history?path=/etc/passwd');
  assert.deepEqual(history.body.items.map((h: { event: string }) => h.event), ['modified', 'added']);
  assert.deepEqual(history.body.items[0].before, { size: '10', md5: 'a' });
  assert.deepEqual((await get('/agents/001/fim/history?path=/etc/passwd&limit=1&offset=1')).body.items.map((h: { event: string }) => h.event), ['added']);
  const noPath = await get('/agents/001/fim/history');
  assert.equal(noPath.status, 400);
  assert.equal(noPath.body.error.parameter, 'path');
  const badAgent = await get('/agents/a%20b/fim?path=/x');
  assert.equal(badAgent.status, 400);
  assert.equal(badAgent.body.error.parameter, 'agent');
  assert.equal((await get('/agents/001/fim?path=/etc/passwd&limit=2')).body.error.parameter, 'limit');
});

test('GET /agents/<id>/sca: summaries and checks, filtered by result and policy', async () => {
  const all = await get('/agents/001/sca');
  assert.deepEqual(all.body.checks.map((c: { checkId: string; result: string }) => [c.checkId, c.result]), [['1001', 'failed'], ['1002', 'passed']]);
  assert.deepEqual(all.body.summaries.map((s: { passed: number; failed: number }) => [s.passed, s.failed]), [[1, 1]]);
  const failed = await get('/agents/001/sca?result=failed&policy=cis_debian12');
  assert.deepEqual(failed.body.checks.map((c: { checkId: string }) => c.checkId), ['1001']);
  assert.deepEqual((await get('/agents/001/sca?policy=other')).body, { agentId: '001', summaries: [], checks: [] });
  assert.equal((await get('/agents/001/sca?result=broken')).body.error.parameter, 'result');
  assert.equal((await get('/agents/001/sca?policy=a%20b')).body.error.parameter, 'policy');
});

test('GET /aggregations: counts by rule, level, agent, group, compliance, mitre, and over time', async () => {
  const agg = async (qs: string) => (await get(`/aggregations?${qs}`)).body;
  assert.deepEqual((await agg('by=rule&size=3')).buckets, [
    { key: '5710', label: 'sshd: Attempt to login using a non-existent user', count: 10 },
    { key: '554', label: 'File added to the system.', count: 2 },
    { key: '5720', label: 'Root login from unknown host', count: 2 },
  ]);
  assert.deepEqual((await agg('by=level&level=7')).buckets, [{ key: '12', count: 2 }, { key: '7', count: 2 }]);
  assert.deepEqual((await agg('by=agent')).buckets, [{ key: '001', label: 'web01', count: 16 }, { key: '002', label: 'db01', count: 2 }]);
  assert.deepEqual((await agg('by=group&size=3')).buckets, [{ key: 'sshd', count: 12 }, { key: 'authentication_failed', count: 10 }, { key: 'invalid_login', count: 10 }]);
  assert.deepEqual((await agg('by=group&agent=002')).buckets, [{ key: 'root_login', count: 2 }, { key: 'sshd', count: 2 }]);
  assert.deepEqual((await agg('by=compliance&size=3')).buckets, [{ key: 'gdpr:IV_35.7.d', count: 10 }, { key: 'pci_dss:10.2.4', count: 10 }, { key: 'pci_dss:10.2.5', count: 10 }]);
  assert.deepEqual((await agg('by=compliance&level=12')).buckets, [{ key: 'hipaa:164.312.b', count: 2 }, { key: 'nist_800_53:AC.7', count: 2 }]);
  assert.deepEqual((await agg('by=mitre')).buckets, [{ key: 'T1110.001', count: 10 }]);
  const overTime = await agg(`by=level&interval=1m&from=${T0}&to=${T0 + 180_000}`);
  assert.equal(overTime.interval, 60_000);
  assert.deepEqual(overTime.buckets, [
    { key: '5', time: T0, count: 10 },
    { key: '12', time: T0 + 60_000, count: 1 },
    { key: '12', time: T0 + 120_000, count: 1 },
  ]);
  const groupsOverTime = await agg(`by=group&interval=1h&from=${T0}&size=1`);
  assert.deepEqual(groupsOverTime.buckets, [{ key: 'sshd', time: T0, count: 12 }]);
  const textAgg = await agg('by=agent&q=quetzalcoatl');
  assert.deepEqual(textAgg.buckets, [{ key: '002', label: 'db01', count: 2 }]);
});

test('GET /aggregations: bad parameters are 400 naming the parameter', async () => {
  const cases: Array<[string, string]> = [
    ['', 'by'],
    ['by=colour', 'by'],
    ['by=rule&interval=5', 'interval'],
    ['by=rule&interval=10s&from=1h', 'interval'],
    ['by=rule&interval=1h', 'from'],
    ['by=rule&interval=1m&from=0', 'interval'],
    ['by=rule&size=0', 'size'],
    ['by=rule&limit=3', 'limit'],
    ['by=rule&level=x', 'level'],
  ];
  for (const [qs, parameter] of cases) {
    const r = await get(`/aggregations?${qs}`);
    assert.equal(r.status, 400, qs);
    assert.equal(r.body.error.parameter, parameter, qs);
  }
});

test('unknown endpoints are 404', async () => {
  assert.equal((await get('/nothing')).status, 404);
  assert.equal((await get('/agents/001/rootcheck')).status, 404);
});

test('one error format: schema failures read as the parameter readers word them; headers on every answer', async () => {
  const repeated = await get('/alerts?level=3&level=4');
  assert.deepEqual(repeated.body, { error: { code: 'QUERY_INVALID', parameter: 'level', message: "parameter 'level': given more than once" } });
  assert.equal(repeated.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(repeated.headers.get('cache-control'), 'no-store');
  assert.equal((await get('/alerts?rule=57;10')).body.error.message, "parameter 'rule': '57;10' is not a rule id (digits)");
  assert.equal((await get('/alerts?order=')).body.error.message, "parameter 'order': is empty");
  assert.equal((await get(`/alerts?q=${'x'.repeat(501)}`)).body.error.message, "parameter 'q': is longer than 500 characters");
  assert.match((await get('/aggregations')).body.error.message, /^parameter 'by': is required \(one of: rule, /);
  const ok = await get('/agents');
  assert.equal(ok.headers.get('cache-control'), 'no-store');
  assert.equal(ok.headers.get('content-type'), 'application/json; charset=utf-8');
  const badPath = await get('/alerts/%zz');
  assert.equal(badPath.status, 400);
  assert.deepEqual(badPath.body, { error: { code: 'QUERY_INVALID', message: 'the path is not valid percent-encoding' } });
  assert.equal((await get('/alerts/')).status, 404);
  const post = await get('/nothing', { method: 'POST', token: null });
  assert.equal(post.status, 405, 'read-only before anything else');
  const head = await fetch(`${api.url}/alerts?limit=1`, { method: 'HEAD', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});
