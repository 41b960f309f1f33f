import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ConfigError, errorMessage, type Logger } from '@vigil/common';
import type { K8sAuditWebhookConfig } from '../k8s-audit-webhook-config.ts';
import { collectorNotice } from '../core/collector-notice.ts';
import { parseEventList } from '../core/k8s-audit/event-list.ts';
import { authorizeWebhook } from '../core/k8s-audit/webhook-auth.ts';
import type { EventDraft } from '../core/raw-event.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import type { EventSource } from './event-source.ts';

/** How much of a refused body the notice keeps. */
const BODY_EXCERPT = 4096;
/** A refused request from one address is reported once in this period (an attacker cannot flood the spool). */
const REFUSAL_REPORT_MS = 60_000;

/**
 * The API server's audit webhook: an HTTPS endpoint taking `audit.k8s.io/v1` EventList batches. Each item is
 * spooled as one `log` event with the line the log backend would have written and the audit log's location, and
 * the request is answered 200 only once the batch is in the spool (so the API server retries what was not taken).
 * Refused bodies (400, 413) and refused callers (401, 403) are answered with the reason and reported as notices.
 */
export class K8sAuditWebhookSource implements EventSource {
  readonly name = 'k8s-audit-webhook';
  private server: Server | undefined;
  private readonly token: string | undefined;
  private readonly refusals = new Map<string, number>();

  constructor(
    private readonly options: { config: K8sAuditWebhookConfig; spool: SpoolStore; logger: Logger; env?: NodeJS.ProcessEnv; now?: () => number },
  ) {
    const { tokenEnv } = options.config;
    this.token = tokenEnv ? (options.env ?? process.env)[tokenEnv] : undefined;
  }

  describe(): string[] {
    const { listen, port } = this.options.config;
    return [`k8s audit webhook: https://${listen}:${this.address()?.port ?? port}`];
  }

  /** Where it listens (after start). */
  address(): AddressInfo | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a : undefined;
  }

  async start(): Promise<void> {
    const { config } = this.options;
    const read = (key: 'tlsCert' | 'tlsKey' | 'clientCa'): Buffer | undefined => {
      const path = config[key];
      if (!path) return undefined;
      try {
        return readFileSync(path);
      } catch (cause) {
        throw new ConfigError(`collector.k8sAuditWebhook.${key}: cannot read ${path}: ${errorMessage(cause)}`, { cause });
      }
    };
    const ca = read('clientCa');
    const server = createServer({
      cert: read('tlsCert'),
      key: read('tlsKey'),
      minVersion: 'TLSv1.2',
      // Unverified certificates are let through the handshake and refused by the handler with a status and reason.
      ...(ca ? { ca, requestCert: true, rejectUnauthorized: false } : {}),
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
    server.on('tlsClientError', (err) => this.options.logger.debug({ err }, 'audit webhook: TLS handshake failed'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.listen, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.options.logger.error({ err }, 'audit webhook server error'));
    this.server = server;
    this.options.logger.info({ address: this.address(), clientCa: Boolean(ca), token: Boolean(this.token) }, 'audit webhook listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // The API server keeps its connection alive: what is still open after a grace period is cut (a batch cut
      // before its answer is retried by the API server; one answered was spooled).
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket as TLSSocket;
    const remote = socket.remoteAddress ?? 'unknown';
    const peer = this.options.config.clientCa ? socket.getPeerCertificate() : undefined;
    const decision = authorizeWebhook({
      certificate: {
        required: Boolean(this.options.config.clientCa),
        presented: peer !== undefined && Object.keys(peer).length > 0,
        verified: socket.authorized,
        error: socket.authorizationError?.toString(),
      },
      token: { expected: this.token, header: req.headers.authorization, equal: sameSecret },
    });
    if (!decision.ok) {
      req.resume();
      this.refuse(remote, decision.reason);
      return reply(res, decision.status, { reason: decision.reason }, decision.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }
    if (req.method !== 'POST') {
      req.resume();
      return reply(res, 405, { reason: 'only POST' }, { allow: 'POST' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.options.config.maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', (err) => this.options.logger.warn({ err, remote }, 'audit webhook: request failed'));
    req.on('end', () => {
      if (tooLarge) {
        const reason = `body of ${size} bytes is over maxBodyBytes (${this.options.config.maxBodyBytes})`;
        this.invalid(remote, reason, Buffer.concat(chunks).subarray(0, BODY_EXCERPT).toString('utf8'), size);
        return reply(res, 413, { reason });
      }
      this.take(Buffer.concat(chunks).toString('utf8'), remote, res);
    });
  }

  private take(body: string, remote: string, res: ServerResponse): void {
    const parsed = parseEventList(body);
    if (!parsed.ok) {
      this.invalid(remote, parsed.reason, body.slice(0, BODY_EXCERPT), Buffer.byteLength(body));
      return reply(res, 400, { reason: parsed.reason });
    }
    const { spool, config } = this.options;
    // A full spool (NATS away for long): the API server keeps the batch and retries, rather than us dropping it.
    if (!spool.hasRoom()) return reply(res, 503, { reason: 'spool full, retry later' }, { 'retry-after': '10' });
    const drafts: EventDraft[] = parsed.lines.map((log) => ({ kind: 'log', location: config.location, log }));
    try {
      if (drafts.length > 0) spool.append(drafts);
    } catch (err) {
      this.options.logger.error({ err }, 'audit webhook: cannot spool the batch');
      return reply(res, 503, { reason: 'cannot spool the batch, retry later' }, { 'retry-after': '10' });
    }
    reply(res, 200, { accepted: drafts.length });
  }

  /** A body that is not an EventList: a notice with the reason and the start of the body, and a warning. */
  private invalid(remote: string, reason: string, excerpt: string, bytes: number): void {
    this.options.logger.warn({ remote, reason, bytes }, 'audit webhook: body refused');
    this.options.spool.append([collectorNotice('audit_webhook_invalid', remote, reason, { bytes, body: excerpt, truncated: bytes > excerpt.length })]);
  }

  /** A caller without the right credentials: a warning, and a notice once per address and period. */
  private refuse(remote: string, reason: string): void {
    const now = (this.options.now ?? Date.now)();
    const key = `${remote} ${reason}`;
    const last = this.refusals.get(key);
    if (last !== undefined && now - last < REFUSAL_REPORT_MS) return;
    if (this.refusals.size > 1000) this.refusals.clear();
    this.refusals.set(key, now);
    this.options.logger.warn({ remote, reason }, 'audit webhook: caller refused');
    this.options.spool.append([collectorNotice('audit_webhook_refused', remote, reason)]);
  }
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
