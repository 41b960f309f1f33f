import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Value } from '@sinclair/typebox/value';
import { HealthConfig, natsReadiness, startHealthServer, type HealthStatus } from './health-server.ts';
import { loadConfig } from './config-loader.ts';
import { VigilError } from './errors.ts';
import { MetricsRegistry } from './metrics.ts';
import { natsSkipReason, startTestNats, waitFor } from './testing/nats-fixture.ts';

const local = (over: Partial<HealthConfig> = {}): HealthConfig => ({ ...Value.Default(HealthConfig, {}) as HealthConfig, host: '127.0.0.1', port: 0, ...over });

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('the health key has defaults and rejects unknown keys', () => {
  assert.deepEqual(loadConfig(HealthConfig, { document: {} }), { enabled: false, host: '0.0.0.0', port: 8080, readyTimeoutMs: 2000 });
  assert.deepEqual(loadConfig(HealthConfig, { document: { enabled: true, port: 9000 } }), { enabled: true, host: '0.0.0.0', port: 9000, readyTimeoutMs: 2000 });
  assert.throws(() => loadConfig(HealthConfig, { document: { prot: 9000 } }), /unknown key 'prot'/);
  assert.throws(() => loadConfig(HealthConfig, { document: { port: 70000 } }), /key 'port'/);
});

test('/healthz answers 200; /readyz follows the readiness check, with its reason', async (t) => {
  let ready: HealthStatus = { ok: false, reason: 'starting' };
  const server = await startHealthServer(local(), { ready: () => ready });
  t.after(() => server.close());
  assert.deepEqual(await get(server.port, '/healthz'), { status: 200, body: { ok: true } });
  assert.deepEqual(await get(server.port, '/readyz'), { status: 503, body: { ok: false, reason: 'starting' } });
  ready = true;
  assert.deepEqual(await get(server.port, '/readyz'), { status: 200, body: { ok: true } });
  assert.deepEqual(await get(server.port, '/readyz?verbose=1'), { status: 200, body: { ok: true } });
  assert.equal((await get(server.port, '/readyz', 'HEAD')).status, 200);
});

test('a readiness check that throws or hangs is not ready; liveness is independent of readiness', async (t) => {
  let mode: 'throw' | 'hang' = 'throw';
  const server = await startHealthServer(local({ readyTimeoutMs: 50 }), {
    ready: () => {
      if (mode === 'throw') throw new Error('consumer lost');
      return new Promise<boolean>(() => {});
    },
  });
  t.after(() => server.close());
  assert.deepEqual(await get(server.port, '/readyz'), { status: 503, body: { ok: false, reason: 'consumer lost' } });
  mode = 'hang';
  assert.deepEqual(await get(server.port, '/readyz'), { status: 503, body: { ok: false, reason: 'check timed out after 50 ms' } });
  assert.deepEqual(await get(server.port, '/healthz'), { status: 200, body: { ok: true } });
});

test('a failing liveness check gives 503; after markStopping /readyz is 503 whatever the check says', async (t) => {
  const server = await startHealthServer(local(), { ready: () => true, live: () => ({ ok: false, reason: 'stuck' }) });
  t.after(() => server.close());
  assert.deepEqual(await get(server.port, '/healthz'), { status: 503, body: { ok: false, reason: 'stuck' } });
  assert.equal((await get(server.port, '/readyz')).status, 200);
  server.markStopping();
  assert.deepEqual(await get(server.port, '/readyz'), { status: 503, body: { ok: false, reason: 'stopping' } });
});

test('other paths are 404 and other methods 405', async (t) => {
  const server = await startHealthServer(local(), { ready: () => true });
  t.after(() => server.close());
  assert.equal((await get(server.port, '/')).status, 404);
  assert.equal((await get(server.port, '/metricz')).status, 404);
  assert.equal((await get(server.port, '/healthz', 'POST')).status, 405);
});

test('/metrics serves the registry in the Prometheus text format', async (t) => {
  const registry = new MetricsRegistry();
  registry.set('vigil_storage_used_bytes', 'Bytes a store uses', { store: 'stream', name: 'HIDS_RAW' }, 1234);
  registry.set('vigil_storage_used_bytes', 'Bytes a store uses', { store: 'index', name: '/data/"x".db' }, 99);
  const server = await startHealthServer(local(), { ready: () => true, metrics: registry });
  t.after(() => server.close());
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  assert.equal(
    await res.text(),
    [
      '# HELP vigil_storage_used_bytes Bytes a store uses',
      '# TYPE vigil_storage_used_bytes gauge',
      'vigil_storage_used_bytes{name="HIDS_RAW",store="stream"} 1234',
      'vigil_storage_used_bytes{name="/data/\\"x\\".db",store="index"} 99',
      '',
    ].join('\n'),
  );
});

test('a port already taken is a CONFIG_INVALID error naming health.port', async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => blocker.close(() => r())));
  const port = (blocker.address() as { port: number }).port;
  await assert.rejects(startHealthServer(local({ port }), { ready: () => true }), (err: unknown) => {
    assert.ok(err instanceof VigilError);
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.match(err.message, new RegExp(`^health\\.port: cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE$`));
    return true;
  });
});

test('natsReadiness behind /readyz: starting, ready while NATS answers, not ready once it is gone or closed', async (t) => {
  const skip = natsSkipReason();
  if (skip) return t.skip(skip);
  const nats = await startTestNats();
  t.after(() => nats.dispose());
  let nc: NatsConnection | undefined;
  const server = await startHealthServer(local(), { ready: natsReadiness(() => nc) });
  t.after(() => server.close());
  assert.deepEqual(await get(server.port, '/readyz'), { status: 503, body: { ok: false, reason: 'starting' } });
  nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  t.after(() => nc?.close());
  assert.deepEqual(await get(server.port, '/readyz'), { status: 200, body: { ok: true } });
  await nats.kill();
  const down = await waitFor(async () => {
    const res = await get(server.port, '/readyz');
    return res.status === 503 ? res.body : undefined;
  }, 5000, '/readyz to fail');
  assert.deepEqual(down, { ok: false, reason: 'connection disconnected' });
  await nc.close();
  assert.deepEqual(await get(server.port, '/readyz'), { status: 503, body: { ok: false, reason: 'NATS connection closed' } });
  assert.equal((await get(server.port, '/healthz')).status, 200, 'liveness does not depend on NATS: a restart would not help');
});

test('/metrics serves the registry as Prometheus text', async (t) => {
  const metrics = new MetricsRegistry();
  metrics.set('vigil_ruleset_info', 'The ruleset in service', { service: 'decoder', hash: 'abc' }, 1);
  metrics.set('vigil_ruleset_info', 'The ruleset in service', { service: 'decoder', hash: 'def' }, 1, { service: 'decoder' });
  metrics.inc('vigil_ruleset_reloads_total', 'Reloads', { result: 'refused' });
  const server = await startHealthServer(local(), { ready: () => true, metrics });
  t.after(() => server.close());
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  assert.match(text, /^vigil_ruleset_info\{hash="def",service="decoder"\} 1$/m);
  assert.doesNotMatch(text, /hash="abc"/, 'replaced series are gone');
  assert.match(text, /^# TYPE vigil_ruleset_reloads_total counter$/m);
  assert.match(text, /^vigil_ruleset_reloads_total\{result="refused"\} 1$/m);
});
