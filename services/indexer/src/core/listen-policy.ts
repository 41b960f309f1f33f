import { VigilError } from '@vigil/common';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** True when an address reaches this host only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

/** How people log in to the dashboard: a token, a user and password, both, or none (loopback only). */
export interface DashboardLogin {
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

export function loginMethods(login: DashboardLogin): Array<'token' | 'password'> {
  return [...(login.token !== undefined ? (['token'] as const) : []), ...(login.username !== undefined && login.password !== undefined ? (['password'] as const) : [])];
}

/**
 * The dashboard shows every alert: it may listen beyond loopback only with a login configured. Throws
 * CONFIG_INVALID naming the keys to set; a username without a password (or the reverse) is refused too.
 */
export function checkDashboardListen(host: string, login: DashboardLogin): void {
  if ((login.username === undefined) !== (login.password === undefined)) {
    throw new VigilError('CONFIG_INVALID', 'indexer.api.dashboard.username and indexer.api.dashboard.password go together: set both or neither');
  }
  if (!isLoopbackHost(host) && loginMethods(login).length === 0) {
    throw new VigilError(
      'CONFIG_INVALID',
      `indexer.api.host is '${host}', beyond loopback, and the dashboard is on: set indexer.api.token (or VIGIL_API_TOKEN), or indexer.api.dashboard.username and indexer.api.dashboard.password, or turn it off with indexer.api.dashboard.enabled: false`,
      { details: { key: 'indexer.api.token' } },
    );
  }
}
