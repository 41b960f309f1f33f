import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { loginMethods, type DashboardLogin } from '../core/listen-policy.ts';
import { DashboardSessions, sameSecret } from './dashboard-sessions.ts';

/** The built dashboard (index.html, app.js, app.css): `npm run build:dashboard` writes it; it is committed. */
export const DASHBOARD_ASSETS = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));
export const SESSION_COOKIE = 'vigil_session';

/** What anyone may fetch before logging in: the login page, its assets, the session probe and the login itself. */
const PUBLIC = new Set(['/ui', '/ui/', '/ui/index.html', '/ui/app.js', '/ui/app.css', '/ui/session', '/ui/login', '/ui/logout']);
export const isPublicDashboardPath = (path: string): boolean => PUBLIC.has(path);

export interface DashboardOptions {
  login: DashboardLogin;
  sessionHours: number;
  now?: () => number;
}

export interface DashboardAuth {
  /** Whether a request carries a live session cookie (or no login is configured at all). */
  loggedIn(request: FastifyRequest): boolean;
}

/**
 * The dashboard's routes on the query API's fastify instance: the static single-page app under /ui/, and
 * GET /ui/session, POST /ui/login (token, or username and password, as JSON) and POST /ui/logout. A login sets a
 * random session id in an HttpOnly, Secure, SameSite=Strict cookie; every API route then accepts it as it accepts
 * the bearer token.
 */
export async function registerDashboard(app: FastifyInstance, options: DashboardOptions): Promise<DashboardAuth> {
  const methods = loginMethods(options.login);
  const sessions = new DashboardSessions(options.sessionHours * 3600_000, options.now);
  const open = methods.length === 0;
  await app.register(fastifyCookie);
  await app.register(fastifyStatic, { root: DASHBOARD_ASSETS, prefix: '/ui/', index: 'index.html', cacheControl: false, redirect: true });

  const sessionOf = (request: FastifyRequest) => sessions.check(request.cookies[SESSION_COOKIE]);
  const auth: DashboardAuth = { loggedIn: (request) => open || sessionOf(request) !== undefined };

  app.get('/ui/session', async (request) => {
    const user = open ? 'anonymous' : sessionOf(request);
    return { authenticated: user !== undefined, methods, ...(user !== undefined ? { user } : {}) };
  });

  app.post<{ Body: { token?: unknown; username?: unknown; password?: unknown } }>('/ui/login', async (request, reply) => {
    const body = (request.body ?? {}) as { token?: unknown; username?: unknown; password?: unknown };
    const { token, username, password } = options.login;
    let user: string | undefined;
    if (typeof body.token === 'string' && token !== undefined && sameSecret(body.token, token)) user = 'token';
    else if (typeof body.username === 'string' && typeof body.password === 'string' && username !== undefined && password !== undefined) {
      // Both compared, always, so the answer time does not tell a wrong name from a wrong password.
      const nameOk = sameSecret(body.username, username);
      const passwordOk = sameSecret(body.password, password);
      if (nameOk && passwordOk) user = username;
    }
    if (user === undefined) {
      return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: open ? 'no login is configured on this indexer' : 'wrong token, user name or password' } });
    }
    const session = sessions.open(user);
    reply.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, secure: true, sameSite: 'strict', maxAge: session.maxAgeSeconds });
    return { authenticated: true, user };
  });

  app.post('/ui/logout', async (request, reply) => {
    sessions.close(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'strict' });
    return { authenticated: false };
  });
  return auth;
}
