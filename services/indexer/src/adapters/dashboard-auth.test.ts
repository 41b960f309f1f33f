import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, VigilError } from '@vigil/common';
import { SqliteAlertStore, openAlertsReadOnly } from './sqlite-store.ts';
import type { SqliteAlertReader } from './sqlite-reader.ts';
import { startQueryApi, type RunningQueryApi } from './query-api.ts';
import { sshAlert, T0 } from '../../test/alert-fixtures.ts';

const TOKEN = 'correct-horse-battery-staple';
const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-'));
const logger = createLogger({ level: 'silent' });
let reader: SqliteAlertReader;
let api: RunningQueryApi;
let users: RunningQueryApi;

before(async () => {
  const store = new SqliteAlertStore(join(dir, 'alerts.db'));
  store.write(Array.from({ length: 5 }, (_, i) => sshAlert(i)));
  store.close();
  reader = openAlertsReadOnly(join(dir, 'alerts.db'));
  const dashboard = { sessionHours: 1 };
  const logtest = async (text: string) => ({ output: `**Phase 1: Completed pre-decoding.\n\tfull event: '${text.trim()}'\n`, messages: 'logtest: 1 decoders', exitCode: 0 });
  api = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, token: TOKEN, maxLimit: 50, dashboard, logtest, now: () => T0 + 3600_000 });
  users = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, maxLimit: 50, dashboard: { ...dashboard, username: 'alice', password: 'a long passphrase' } });
});

after(async () => {
  await api.stop();
  await users.stop();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

const login = (base: string, body: unknown) => fetch(`${base}/ui/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] as string;

test('before login only the login page, its assets and the session probe answer; data needs the cookie or the bearer token', async () => {
  for (const path of ['/ui/', '/ui/app.js', '/ui/app.css']) assert.equal((await fetch(`${api.url}${path}`)).status, 200, path);
  assert.deepEqual(await (await fetch(`${api.url}/ui/session`)).json(), { authenticated: false, methods: ['token'] });
  for (const path of ['/alerts', '/agents', '/aggregations?by=level', '/alerts/1715342400.0', '/agents/001/sca', '/ui/other.js']) {
    const res = await fetch(`${api.url}${path}`);
    assert.equal(res.status, 401, path);
    assert.doesNotMatch(await res.text(), /sshd|web01/, path);
  }
  assert.equal((await fetch(`${api.url}/alerts`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
});

test('a wrong token gets 401 and no cookie; the right one a session cookie (HttpOnly, Secure, SameSite=Strict) that the API accepts', async () => {
  const wrong = await login(api.url, { token: 'not-the-token-at-all' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const ok = await login(api.url, { token: TOKEN });
  assert.equal(ok.status, 200);
  const setCookie = ok.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /^vigil_session=[\w-]{40,};/);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /Secure/);
  assert.match(setCookie, /SameSite=Strict/);
  const cookie = cookieOf(ok);
  const alerts = await fetch(`${api.url}/alerts?limit=2`, { headers: { cookie } });
  assert.equal(alerts.status, 200);
  assert.equal(((await alerts.json()) as { items: unknown[] }).items.length, 2);
  assert.equal((await fetch(`${api.url}/alerts`, { headers: { cookie: 'vigil_session=forged' } })).status, 401);
  assert.equal((await fetch(`${api.url}/ui/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' })).status, 200);
  assert.equal((await fetch(`${api.url}/alerts`, { headers: { cookie } })).status, 401, 'logged out');
  assert.equal((await fetch(`${api.url}/alerts`, { method: 'POST', headers: { cookie } })).status, 405);
});

test('user and password log in; a wrong password does not', async () => {
  assert.deepEqual(await (await fetch(`${users.url}/ui/session`)).json(), { authenticated: false, methods: ['password'] });
  assert.equal((await login(users.url, { username: 'alice', password: 'wrong passphrase' })).status, 401);
  assert.equal((await login(users.url, { token: 'anything-at-all-here' })).status, 401);
  const ok = await login(users.url, { username: 'alice', password: 'a long passphrase' });
  assert.equal(ok.status, 200);
  assert.equal((await fetch(`${users.url}/agents`, { headers: { cookie: cookieOf(ok) } })).status, 200);
  assert.equal((await fetch(`${users.url}/agents`)).status, 401);
});

test('the dashboard refuses to listen beyond loopback without a login, naming the key; on loopback it is open', async () => {
  await assert.rejects(
    startQueryApi({ reader, logger, host: '0.0.0.0', port: 0, maxLimit: 50, dashboard: { sessionHours: 1 } }),
    (err: unknown) => err instanceof VigilError && err.code === 'CONFIG_INVALID' && /indexer\.api\.token/.test(err.message),
  );
  await assert.rejects(
    startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, maxLimit: 50, dashboard: { sessionHours: 1, username: 'alice' } }),
    /username and indexer\.api\.dashboard\.password go together/,
  );
  const open = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, maxLimit: 50, dashboard: { sessionHours: 1 } });
  try {
    assert.deepEqual(await (await fetch(`${open.url}/ui/session`)).json(), { authenticated: true, methods: [], user: 'anonymous' });
    assert.equal((await fetch(`${open.url}/alerts`)).status, 200);
  } finally {
    await open.stop();
  }
});

test('top source IPs: by=srcip counts data.srcip', async () => {
  const res = await fetch(`${api.url}/aggregations?by=srcip&size=3`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await res.json()) as { buckets: Array<{ key: string; count: number }> };
  assert.equal(body.buckets.length, 3);
  assert.ok(body.buckets.every((b) => /^1\.2\.3\.\d$/.test(b.key) && b.count === 1));
});

test('rule testing: POST /ui/logtest needs a session, checks the lines, answers what the composition gives; absent, it says so', async () => {
  const post = (base: string, body: unknown, cookie?: string) =>
    fetch(`${base}/ui/logtest`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  assert.equal((await post(api.url, { lines: 'x' })).status, 401);
  const cookie = cookieOf(await login(api.url, { token: TOKEN }));
  const empty = await post(api.url, { lines: '  ' }, cookie);
  assert.equal(empty.status, 400);
  assert.equal(((await empty.json()) as { error: { parameter: string } }).error.parameter, 'lines');
  assert.equal((await post(api.url, { lines: 'x'.repeat(70_000) }, cookie)).status, 400);
  const ok = await post(api.url, { lines: 'sshd[1]: hello\n' }, cookie);
  assert.equal(ok.status, 200);
  assert.match(((await ok.json()) as { output: string }).output, /full event: 'sshd\[1\]: hello'/);
  const other = cookieOf(await login(users.url, { username: 'alice', password: 'a long passphrase' }));
  const absent = await post(users.url, { lines: 'x' }, other);
  assert.equal(absent.status, 404);
  assert.match(((await absent.json()) as { error: { message: string } }).error.message, /not available/);
});
