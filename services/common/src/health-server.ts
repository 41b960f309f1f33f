import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type, type Static } from '@sinclair/typebox';
import type { NatsConnection } from '@nats-io/transport-node';
import { VigilError } from './errors.ts';
import type { Logger } from './logger.ts';
import { processMetrics, type MetricsRegistry } from './metrics.ts';

/** The `health` key: the liveness and readiness endpoints a service serves (Kubernetes probes). */
export const HealthConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Serve GET /healthz (liveness) and GET /readyz (readiness) over HTTP' }),
    host: Type.String({ default: '0.0.0.0', description: 'Listen address (0.0.0.0 in a pod, so the kubelet reaches it)' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'Listen port (0 = any free port)' }),
    readyTimeoutMs: Type.Integer({ minimum: 1, default: 2000, description: 'A readiness check slower than this counts as not ready' }),
  },
  { additionalProperties: false, default: {} },
);
export type HealthConfig = Static<typeof HealthConfig>;

/** What a check says: a plain boolean, or a result with the reason shown in the response body. */
export type HealthStatus = boolean | { ok: boolean; reason?: string };
export type HealthCheck = () => HealthStatus | Promise<HealthStatus>;

export interface HealthChecks {
  /** Readiness: may this replica take work now (connected to NATS, consumers started)? */
  ready: HealthCheck;
  /** Liveness: is the process making progress? Default: it answers, so its event loop runs. */
  live?: HealthCheck;
  /** What `GET /metrics` serves (Prometheus text). Default: the process's registry (`processMetrics`). */
  metrics?: MetricsRegistry;
}

export interface HealthServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** From now on /readyz answers 503 (draining), whatever the readiness check says. */
  markStopping(): void;
  close(): Promise<void>;
}

interface Outcome {
  ok: boolean;
  reason?: string;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `check timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const evaluated = (async (): Promise<Outcome> => {
      const status = await check();
      return typeof status === 'boolean' ? { ok: status } : status;
    })();
    return await Promise.race([evaluated, timeout]);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Serves `GET /healthz` (200 while the liveness check passes), `GET /readyz` (200 while the readiness check
 * passes and the service is not stopping; 503 otherwise, with the reason) and `GET /metrics` (the process's
 * metrics in the Prometheus text format: storage budgets, rulesets in service). Anything else is 404; only GET and
 * HEAD are allowed. Resolves once listening; a port that cannot be bound is a CONFIG_INVALID error naming
 * `health.port`.
 */
export async function startHealthServer(config: HealthConfig, checks: HealthChecks, logger?: Logger): Promise<HealthServer> {
  let stopping = false;
  const live: HealthCheck = checks.live ?? (() => true);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      reply(res, 405, { ok: false, reason: 'method not allowed' });
      return;
    }
    if (path === '/healthz') {
      const outcome = await runCheck(live, config.readyTimeoutMs);
      reply(res, outcome.ok ? 200 : 503, { ...outcome });
      return;
    }
    if (path === '/readyz') {
      const outcome: Outcome = stopping ? { ok: false, reason: 'stopping' } : await runCheck(checks.ready, config.readyTimeoutMs);
      if (!outcome.ok) logger?.debug({ reason: outcome.reason }, 'not ready');
      reply(res, outcome.ok ? 200 : 503, { ...outcome });
      return;
    }
    if (path === '/metrics') {
      const text = await (checks.metrics ?? processMetrics).render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    reply(res, 404, { ok: false, reason: 'not found: use /healthz, /readyz or /metrics' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger?.error({ err }, 'health endpoint failed');
      if (!res.headersSent) reply(res, 500, { ok: false, reason: 'internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException) =>
      reject(new VigilError('CONFIG_INVALID', `health.port: cannot listen on ${config.host}:${config.port}: ${cause.code ?? cause.message}`, { cause }));
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger?.info({ host: config.host, port }, 'health endpoints: /healthz, /readyz, /metrics');

  return {
    port,
    markStopping() {
      stopping = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * A readiness check for a service on NATS: ready while the connection is open, not draining, and the server
 * answers a ping (so a replica cut off from NATS leaves the Service and the autoscaler's view).
 */
export function natsReadiness(nc: () => NatsConnection | undefined): HealthCheck {
  return async () => {
    const conn = nc();
    if (conn === undefined) return { ok: false, reason: 'starting' };
    if (conn.isClosed()) return { ok: false, reason: 'NATS connection closed' };
    if (conn.isDraining()) return { ok: false, reason: 'NATS connection draining' };
    await conn.rtt(); // throws at once while disconnected (reconnecting)
    return { ok: true };
  };
}
