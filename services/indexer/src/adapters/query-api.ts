import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { VigilError, type Logger } from '@vigil/common';
import { AGGREGATION_PARAMS, ALERT_SEARCH_PARAMS, Params, QueryParameterError, readAggregation, readAlertSearch, readPage } from '../core/api-params.ts';
import { parameterErrorOf, pathSchema, querySchema, type ParametersSchema, type SchemaFailure } from '../core/api-schema.ts';
import type { SqliteAlertReader } from './sqlite-reader.ts';
import { checkDashboardListen, type DashboardLogin } from '../core/listen-policy.ts';
import { isPublicDashboardPath, registerDashboard, type DashboardAuth } from './dashboard-routes.ts';

export interface QueryApiOptions {
  reader: SqliteAlertReader;
  logger: Logger;
  host: string;
  port: number;
  /** When set, every request but /health must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
  maxLimit: number;
  now?: () => number;
  /** Serve the web dashboard under /ui/ (with its login: the token, or a user and password). */
  dashboard?: { username?: string | undefined; password?: string | undefined; sessionHours: number } | undefined;
  /**
   * The dashboard's rule testing (`POST /ui/logtest`): given by the CLI's composition, which runs `vigil logtest`
   * (the indexer does not import the decoder or the rule engine). Absent: the page says it is not available.
   */
  logtest?: ((text: string) => Promise<{ output: string; messages: string; exitCode: number }>) | undefined;
}

export interface RunningQueryApi {
  readonly url: string;
  /** The dashboard's address when it is served. */
  readonly dashboardUrl?: string;
  stop(): Promise<void>;
}

/** An answer other than 200 or a bad parameter: its status, code, message and headers. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares the bearer token in constant time (over digests, so lengths do not leak either). */
function authorised(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1] as string), digest(token));
}

type Query = Record<string, string>;

/** At most this much pasted text per rule test. */
const LOGTEST_MAX_CHARS = 64 * 1024;

/**
 * The read-only query API over the indexer's SQLite file (fastify, JSON answers):
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
 * Query and path parameters are checked by each route's JSON schema (built from api-params.ts's table); one error
 * handler writes every error: a bad parameter is a 400 naming it; a missing or wrong token a 401; anything but
 * GET/HEAD a 405; an unknown endpoint a 404.
 */
export async function startQueryApi(options: QueryApiOptions): Promise<RunningQueryApi> {
  const { reader, maxLimit } = options;
  const login: DashboardLogin = { token: options.token, username: options.dashboard?.username, password: options.dashboard?.password };
  if (options.dashboard) checkDashboardListen(options.host, login);
  const logger = options.logger.child({ service: 'indexer', component: 'query-api' });
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: false,
    keepAliveTimeout: 5000,
    // The schemas are the checks: nothing removed, coerced or defaulted on the way, so an unknown or repeated
    // parameter is an error rather than silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    // A path that is not valid percent-encoding, caught before routing: answered by the same handler as the rest.
    frameworkErrors: (error, request, reply) => answer(error, request, reply),
  });
  const params = (request: FastifyRequest): Params => new Params(request.query as Query, now());

  let dashboard: DashboardAuth | undefined;
  const loginRequired = options.token !== undefined || (options.dashboard?.username !== undefined && options.dashboard.password !== undefined);
  // Registered before the hook below, so that the cookie plugin has parsed the cookies when it runs.
  if (options.dashboard) {
    dashboard = await registerDashboard(app, { login, sessionHours: options.dashboard.sessionHours });
    app.get('/', async (_request, reply) => reply.redirect('/ui/'));
  }
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const path = request.url.split('?')[0] as string;
    const dashboardPublic = dashboard !== undefined && isPublicDashboardPath(path);
    const post = request.method === 'POST' && dashboard !== undefined && (path === '/ui/login' || path === '/ui/logout' || path === '/ui/logtest');
    if (request.method !== 'GET' && request.method !== 'HEAD' && !post) throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'the query API is read-only: use GET', { allow: 'GET, HEAD' });
    if (!loginRequired || path === '/health' || dashboardPublic) return;
    if (options.token !== undefined && authorised(request.headers.authorization, options.token)) return;
    if (dashboard?.loggedIn(request)) return;
    throw new HttpError(401, 'UNAUTHORIZED', 'a valid bearer token (Authorization: Bearer <token>) or a dashboard session is required', { 'www-authenticate': 'Bearer' });
  });
  app.addHook('onResponse', async (request, reply) => {
    // The query string is left out of the log: it may hold search terms people consider sensitive.
    logger.debug({ method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  app.setNotFoundHandler((request) => {
    throw new HttpError(404, 'NOT_FOUND', `no endpoint ${request.url.split('?')[0]}`);
  });

  /** The one place errors become answers: `{ error: { code, message, parameter? } }` with their status and headers. */
  function answer(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    let error = err;
    if ('validation' in err && Array.isArray(err.validation) && err.validation.length > 0) {
      const path = err.validationContext === 'params';
      const failure = err.validation[0] as SchemaFailure;
      // `/alerts/` matches `/alerts/:id` with an empty id: there is no such endpoint, as before.
      if (path && failure.keyword === 'minLength') error = new HttpError(404, 'NOT_FOUND', `no endpoint ${request.url.split('?')[0]}`);
      else {
        const schema = (path ? request.routeOptions.schema?.params : request.routeOptions.schema?.querystring) as ParametersSchema;
        error = parameterErrorOf(failure, (path ? request.params : request.query) as Record<string, unknown>, schema, path);
      }
    }
    reply.header('cache-control', 'no-store');
    if (error instanceof QueryParameterError) {
      return reply.code(400).send({ error: { code: error.code, parameter: error.parameter, message: error.message } });
    }
    if (error instanceof HttpError) return reply.code(error.status).headers(error.headers).send({ error: { code: error.code, message: error.message } });
    if ('code' in error && error.code === 'FST_ERR_BAD_URL') {
      return reply.code(400).send({ error: { code: 'QUERY_INVALID', message: 'the path is not valid percent-encoding' } });
    }
    logger.error({ err: error, path: request.url.split('?')[0] }, 'query failed');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'the query failed; see the indexer log' } });
  }
  app.setErrorHandler(answer);

  app.get('/health', async () => ({ status: 'ok' }));

  if (options.dashboard) {
    const logtest = options.logtest;
    app.post<{ Body: { lines?: unknown } }>('/ui/logtest', async (request) => {
      if (!logtest) throw new HttpError(404, 'NOT_CONFIGURED', 'rule testing is not available on this server: run vigil logtest, or the dashboard from vigil api or vigil start');
      const lines = (request.body as { lines?: unknown } | undefined)?.lines;
      if (typeof lines !== 'string' || lines.trim() === '') throw new QueryParameterError('lines', 'paste at least one log line');
      if (lines.length > LOGTEST_MAX_CHARS) throw new QueryParameterError('lines', `is longer than ${LOGTEST_MAX_CHARS} characters`);
      return await logtest(lines);
    });
  }

  app.get('/alerts', { schema: { querystring: querySchema(ALERT_SEARCH_PARAMS) } }, async (request) => {
    const { query, count } = readAlertSearch(params(request), { fts: reader.fts, maxLimit });
    const items = reader.query(query);
    const offset = query.offset ?? 0;
    return {
      items,
      limit: query.limit,
      offset,
      ...(items.length === query.limit ? { next: offset + items.length } : {}),
      ...(count ? { total: reader.count(query) } : {}),
    };
  });

  app.get<{ Params: { id: string } }>('/alerts/:id', { schema: { params: pathSchema(['id']), querystring: querySchema([]) } }, async (request) => {
    const alert = reader.byId(request.params.id);
    if (!alert) throw new HttpError(404, 'NOT_FOUND', `no alert with id '${request.params.id}'`);
    return alert;
  });

  app.get('/agents', { schema: { querystring: querySchema([]) } }, async () => ({ items: reader.agents() }));

  const agentPath = pathSchema(['agent']);
  app.get<{ Params: { agent: string } }>(
    '/agents/:agent/fim',
    { schema: { params: agentPath, querystring: querySchema(['path', 'prefix', 'limit', 'offset']) } },
    async (request) => {
      const { agent } = request.params;
      const p = params(request);
      const path = p.string('path');
      if (path !== undefined) {
        p.rejectUnknown(['path']); // the state of one path takes no paging
        const entry = reader.fimState(agent, path);
        if (!entry) throw new HttpError(404, 'NOT_FOUND', `agent '${agent}' has no FIM record of '${path}'`);
        return entry;
      }
      const prefix = p.string('prefix');
      const page = readPage(p, maxLimit);
      return { items: reader.fimStates(agent, { ...(prefix !== undefined ? { prefix } : {}), ...page }), ...page };
    },
  );

  app.get<{ Params: { agent: string } }>(
    '/agents/:agent/fim/history',
    { schema: { params: agentPath, querystring: querySchema(['path', 'limit', 'offset'], ['path']) } },
    async (request) => {
      const p = params(request);
      const path = p.required('path');
      const page = readPage(p, maxLimit);
      return { items: reader.fimHistory(request.params.agent, path, page), ...page };
    },
  );

  app.get<{ Params: { agent: string } }>('/agents/:agent/sca', { schema: { params: agentPath, querystring: querySchema(['policy', 'result']) } }, async (request) => {
    const p = params(request);
    const policy = p.string('policy');
    const result = p.oneOf('result', ['passed', 'failed', 'not applicable'] as const);
    return reader.sca(request.params.agent, { ...(policy !== undefined ? { policy } : {}), ...(result !== undefined ? { result } : {}) });
  });

  app.get('/aggregations', { schema: { querystring: querySchema(AGGREGATION_PARAMS, ['by']) } }, async (request) => {
    const agg = readAggregation(params(request), { fts: reader.fts, now: now() });
    return { by: agg.by, ...(agg.interval !== undefined ? { interval: agg.interval } : {}), buckets: reader.aggregate(agg) };
  });

  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (cause) {
    await app.close().catch(() => undefined);
    throw new VigilError('CONFIG_INVALID', `indexer.api: cannot listen on ${options.host}:${options.port}: ${(cause as Error).message}`, { cause });
  }
  const addr = app.server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  logger.info({ url, auth: options.token !== undefined ? 'bearer token' : 'none', ...(options.dashboard ? { dashboard: `${url}/ui/` } : {}) }, 'query API listening');
  return { url, ...(options.dashboard ? { dashboardUrl: `${url}/ui/` } : {}), stop: () => app.close() };
}
