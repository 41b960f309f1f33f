import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VigilError, type Logger } from '@vigil/common';
import { Params, QueryParameterError, readAggregation, readAlertSearch, readPage } from '../core/api-params.ts';
import type { SqliteAlertReader } from './sqlite-reader.ts';

export interface QueryApiOptions {
  reader: SqliteAlertReader;
  logger: Logger;
  host: string;
  port: number;
  /** When set, every request but /health must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
  maxLimit: number;
  now?: () => number;
}

export interface RunningQueryApi {
  readonly url: string;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares the bearer token in constant time (over digests, so lengths do not leak either). */
function authorised(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1] as string), digest(token));
}

const AGENT = /^[A-Za-z0-9_-]{1,128}$/;

function agentParam(raw: string): string {
  const agent = decodeURIComponent(raw);
  if (!AGENT.test(agent)) throw new QueryParameterError('agent', `'${agent}' is not an agent id`);
  return agent;
}

type Route = (match: RegExpExecArray, params: Params) => unknown;

/**
 * The read-only query API over the indexer's SQLite file (node:http, JSON answers):
 *
 *   GET /health                               liveness (no token needed)
 *   GET /alerts                               search: from, to, level, max_level, rule, agent, group, compliance, q,
 *                                             limit, offset, order, count
 *   GET /alerts/<id>                          one alert
 *   GET /agents                               agents seen in alerts
 *   GET /agents/<id>/fim?path=P               last known state of a path; without path: every path (prefix, limit, offset)
 *   GET /agents/<id>/fim/history?path=P       changes of a path, newest first (limit, offset)
 *   GET /agents/<id>/sca                      latest SCA results (policy, result)
 *   GET /aggregations?by=F                    counts by rule|level|agent|group|compliance|mitre (interval, size, filters)
 *
 * A bad parameter is a 400 naming it; a missing or wrong token a 401; anything but GET/HEAD a 405.
 */
export async function startQueryApi(options: QueryApiOptions): Promise<RunningQueryApi> {
  const { reader, maxLimit } = options;
  const logger = options.logger.child({ service: 'indexer', component: 'query-api' });
  const now = options.now ?? Date.now;
  const routes: Array<[RegExp, Route]> = [
    [/^\/health$/, () => ({ status: 'ok' })],
    [
      /^\/alerts$/,
      (_m, p) => {
        const { query, count } = readAlertSearch(p, { fts: reader.fts, maxLimit });
        const items = reader.query(query);
        const offset = query.offset ?? 0;
        return {
          items,
          limit: query.limit,
          offset,
          ...(items.length === query.limit ? { next: offset + items.length } : {}),
          ...(count ? { total: reader.count(query) } : {}),
        };
      },
    ],
    [
      /^\/alerts\/([^/]+)$/,
      (m, p) => {
        p.rejectUnknown([]);
        const id = decodeURIComponent(m[1] as string);
        const alert = reader.byId(id);
        if (!alert) throw new HttpError(404, 'NOT_FOUND', `no alert with id '${id}'`);
        return alert;
      },
    ],
    [
      /^\/agents$/,
      (_m, p) => {
        p.rejectUnknown([]);
        return { items: reader.agents() };
      },
    ],
    [
      /^\/agents\/([^/]+)\/fim$/,
      (m, p) => {
        const agent = agentParam(m[1] as string);
        const path = p.string('path', { max: 4096 });
        if (path !== undefined) {
          p.rejectUnknown(['path']);
          const entry = reader.fimState(agent, path);
          if (!entry) throw new HttpError(404, 'NOT_FOUND', `agent '${agent}' has no FIM record of '${path}'`);
          return entry;
        }
        const prefix = p.string('prefix', { max: 4096 });
        const page = readPage(p, maxLimit);
        p.rejectUnknown(['path', 'prefix', 'limit', 'offset']);
        return { items: reader.fimStates(agent, { ...(prefix !== undefined ? { prefix } : {}), ...page }), ...page };
      },
    ],
    [
      /^\/agents\/([^/]+)\/fim\/history$/,
      (m, p) => {
        const agent = agentParam(m[1] as string);
        const path = p.required('path', { max: 4096 });
        const page = readPage(p, maxLimit);
        p.rejectUnknown(['path', 'limit', 'offset']);
        return { items: reader.fimHistory(agent, path, page), ...page };
      },
    ],
    [
      /^\/agents\/([^/]+)\/sca$/,
      (m, p) => {
        const agent = agentParam(m[1] as string);
        const policy = p.string('policy', { max: 128, pattern: /^[\w.-]+$/, what: 'a policy id' });
        const result = p.oneOf('result', ['passed', 'failed', 'not applicable'] as const);
        p.rejectUnknown(['policy', 'result']);
        return reader.sca(agent, { ...(policy !== undefined ? { policy } : {}), ...(result !== undefined ? { result } : {}) });
      },
    ],
    [
      /^\/aggregations$/,
      (_m, p) => {
        const agg = readAggregation(p, { fts: reader.fts, now: now() });
        return { by: agg.by, ...(agg.interval !== undefined ? { interval: agg.interval } : {}), buckets: reader.aggregate(agg) };
      },
    ],
  ];

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    let status = 200;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'the query API is read-only: use GET', {});
      if (options.token !== undefined && url.pathname !== '/health' && !authorised(req.headers.authorization, options.token)) {
        throw new HttpError(401, 'UNAUTHORIZED', 'a valid bearer token is required (Authorization: Bearer <token>)');
      }
      const route = routes.find(([re]) => re.test(url.pathname));
      if (!route) throw new HttpError(404, 'NOT_FOUND', `no endpoint ${url.pathname}`);
      const match = route[0].exec(url.pathname) as RegExpExecArray;
      const body = route[1](match, new Params(url.searchParams, now()));
      send(res, 200, body);
    } catch (err) {
      if (err instanceof QueryParameterError) {
        status = 400;
        send(res, 400, { error: { code: err.code, parameter: err.parameter, message: err.message } });
      } else if (err instanceof HttpError) {
        status = err.status;
        send(res, err.status, { error: { code: err.code, message: err.message, ...err.extra } }, err.status === 401 ? { 'www-authenticate': 'Bearer' } : err.status === 405 ? { allow: 'GET, HEAD' } : {});
      } else if (err instanceof URIError) {
        status = 400;
        send(res, 400, { error: { code: 'QUERY_INVALID', message: 'the path is not valid percent-encoding' } });
      } else {
        status = 500;
        logger.error({ err, path: req.url?.split('?')[0] }, 'query failed');
        send(res, 500, { error: { code: 'INTERNAL', message: 'the query failed; see the indexer log' } });
      }
    } finally {
      // The query string is left out of the log: it may hold search terms people consider sensitive.
      logger.debug({ method: req.method, path: req.url?.split('?')[0], status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    }
  };

  const server: Server = createServer(handle);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(new VigilError('CONFIG_INVALID', `indexer.api: cannot listen on ${options.host}:${options.port}: ${cause.message}`, { cause })),
    );
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  logger.info({ url, auth: options.token !== undefined ? 'bearer token' : 'none' }, 'query API listening');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
      }),
  };
}
