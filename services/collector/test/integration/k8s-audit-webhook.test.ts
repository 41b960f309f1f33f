import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawEvent } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { K8sAuditWebhookSource } from '../../src/sources/k8s-audit-webhook.ts';
import { rawCount, readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;
const TOKEN_ENV = 'VIGIL_TEST_K8S_AUDIT_TOKEN';
const TOKEN = 'webhook-token-1f4a9c';

/** A CA, the endpoint's certificate (127.0.0.1), the API server's client certificate, and one from another CA. */
function makePki(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`);
  const leaf = (name: string, issuer: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  ca('test-ca');
  ca('rogue-ca');
  leaf('server', 'test-ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('kube-apiserver', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  leaf('intruder', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => join(dir, name);
  const pem = (name: string) => readFileSync(file(name));
  return { file, pem };
}

type Pki = ReturnType<typeof makePki>;

/** One POST with a real HTTPS client: status and JSON body. */
function post(port: number, pki: Pki, body: string, options: { client?: 'kube-apiserver' | 'intruder'; token?: string; method?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/audit',
        method: options.method ?? 'POST',
        ca: pki.pem('test-ca.crt'),
        ...(options.client ? { cert: pki.pem(`${options.client}.crt`), key: pki.pem(`${options.client}.key`) } : {}),
        headers: { 'content-type': 'application/json', ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function auditEvent(i: number, stage = 'ResponseComplete'): Record<string, unknown> {
  return {
    level: 'Metadata',
    auditID: `5b6a2f1e-8c1d-4c59-9d63-0e7f3b2a1c${String(i).padStart(2, '0')}`,
    stage,
    requestURI: `/api/v1/namespaces/shop/pods/api-7d9f/exec?command=sh&container=api&stdin=true&tty=true&n=${i}`,
    verb: 'create',
    user: { username: 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['198.51.100.4'],
    userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350',
    objectRef: { resource: 'pods', namespace: 'shop', name: 'api-7d9f', apiVersion: 'v1', subresource: 'exec' },
    responseStatus: { metadata: {}, code: 101 },
    requestReceivedTimestamp: '2026-12-06T09:00:00.000000Z',
    stageTimestamp: '2026-12-06T09:00:00.100000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: <allowed>' },
  };
}

/** What the log backend writes for an event: kind and apiVersion first; Go escapes <, > and &. */
function logBackendLine(item: Record<string, unknown>): string {
  return JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', ...item }).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const comparable = (e: RawEvent) => {
  const { id: _id, seq: _seq, collectedAt: _at, ...rest } = e;
  return rest;
};

test('the audit webhook publishes each EventList item as the audit log file source publishes its line; bad bodies and callers are refused and reported', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-k8s-webhook-'));
  const pki = makePki(dir);
  const auditLog = join(dir, 'audit.log');
  writeFileSync(auditLog, '');
  process.env[TOKEN_ENV] = TOKEN;
  const h = await startHarness({
    natsUrl: nats.url,
    dir,
    agentId: 'agent-k8s-webhook',
    collector: {
      files: [{ path: auditLog, format: 'json', startAt: 'beginning' }],
      k8sAuditWebhook: { enabled: true, listen: '127.0.0.1', port: 0, tlsCert: pki.file('server.crt'), tlsKey: pki.file('server.key'), clientCa: pki.file('test-ca.crt'), tokenEnv: TOKEN_ENV, location: auditLog },
    },
  });
  try {
    const webhook = h.collector.sources.find((s): s is K8sAuditWebhookSource => s instanceof K8sAuditWebhookSource);
    assert.ok(webhook, 'the webhook source runs');
    const port = webhook.address()?.port as number;
    const items = [auditEvent(1, 'RequestReceived'), auditEvent(2), auditEvent(3)];
    const before = await rawCount(h.bus);

    // The same events, first as lines of the audit log file ...
    appendFileSync(auditLog, items.map(logBackendLine).join('\n') + '\n');
    await waitFor(async () => (await rawCount(h.bus)) === before + items.length, 20_000, 'the file events stored');
    // ... then as one webhook batch, as the API server posts it (items without kind and apiVersion).
    const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
    const accepted = await post(port, pki, list, { client: 'kube-apiserver', token: TOKEN });
    assert.deepEqual(accepted, { status: 200, body: { accepted: 3 } });
    await waitFor(async () => (await rawCount(h.bus)) === before + 2 * items.length, 20_000, 'the webhook events stored');

    const raw = (await readRaw(h.bus)).slice(before);
    const fromFile = raw.slice(0, items.length);
    const fromWebhook = raw.slice(items.length);
    assert.equal(fromWebhook[0]?.kind, 'log');
    assert.equal(fromWebhook[0]?.location, auditLog);
    assert.deepEqual(fromWebhook.map(comparable), fromFile.map(comparable), 'same fields but ids and times');
    assert.equal(fromWebhook[1]?.log, logBackendLine(items[1] as Record<string, unknown>));

    // Callers without the right credentials: nothing is spooled but a notice.
    const stored = await rawCount(h.bus);
    assert.equal((await post(port, pki, list, { token: TOKEN })).status, 401, 'no client certificate');
    assert.equal((await post(port, pki, list, { client: 'intruder', token: TOKEN })).status, 403, 'a certificate of another CA');
    assert.equal((await post(port, pki, list, { client: 'kube-apiserver' })).status, 401, 'no token');
    const wrong = await post(port, pki, list, { client: 'kube-apiserver', token: 'guessed' });
    assert.deepEqual(wrong, { status: 403, body: { reason: 'wrong bearer token' } });
    assert.equal((await post(port, pki, '', { client: 'kube-apiserver', token: TOKEN, method: 'GET' })).status, 405);

    // A malformed body: 400 with the reason, and reported with the start of the body.
    const bad = await post(port, pki, '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[{"level":"Metadata"}]}', { client: 'kube-apiserver', token: TOKEN });
    assert.deepEqual(bad, { status: 400, body: { reason: 'items[0] is not an audit event (no auditID or stage)' } });

    const notices = await waitFor(async () => {
      const all = (await readRaw(h.bus)).slice(stored).filter((e) => e.location === 'vigil-collector');
      return all.length >= 5 ? all : undefined;
    }, 20_000, 'the notices stored');
    const types = notices.map((e) => (e.payload?.['collector'] as { type: string; reason: string }).type + ': ' + (e.payload?.['collector'] as { reason: string }).reason);
    assert.deepEqual(types, [
      'audit_webhook_refused: no client certificate',
      'audit_webhook_refused: client certificate not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'audit_webhook_refused: no bearer token',
      'audit_webhook_refused: wrong bearer token',
      'audit_webhook_invalid: items[0] is not an audit event (no auditID or stage)',
    ]);
    const invalid = notices[4]?.payload?.['collector'] as { body: string };
    assert.ok(invalid.body.startsWith('{"kind":"EventList"'), 'the refused body is kept');
    assert.equal((await readRaw(h.bus)).filter((e) => e.location === auditLog).length, 2 * items.length, 'no audit event from refused requests');
  } finally {
    await h.stop();
    delete process.env[TOKEN_ENV];
  }
});
