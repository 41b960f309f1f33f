import type { WhoData } from '../fim/syscheck-payload.ts';
import type { AuditEvent } from './audit-event.ts';

/** Names for ids not given by an enriched audit log (the adapter reads /etc/passwd and /etc/group). */
export interface IdNames {
  user(id: number): string | undefined;
  group(id: number): string | undefined;
}

const UNSET = '4294967295';

/**
 * Wazuh's `syscheck.audit` for a file change from the audit event that made it: the process (pid, exe, ppid,
 * cwd), the real user and group, the login user (auid: who logged in, even after sudo) and the effective user.
 * Names come from the enriched log when present, else from `names`.
 */
export function whodataOf(event: AuditEvent, names: IdNames, parent?: { name?: string; cwd?: string }): WhoData | undefined {
  const s = event.syscall;
  if (!s) return undefined;
  const name = (id: string | undefined, enrichedKey: string, lookup: (n: number) => string | undefined) => {
    if (id === undefined || id === UNSET) return undefined;
    const e = event.enriched[enrichedKey];
    if (e !== undefined && e !== 'unset') return e;
    return /^\d+$/.test(id) ? lookup(Number(id)) : undefined;
  };
  const who = (id: string | undefined, key: string, lookup: (n: number) => string | undefined) =>
    id === undefined ? undefined : { id, ...(name(id, key, lookup) !== undefined ? { name: name(id, key, lookup) } : {}) };
  const user = (n: number) => names.user(n);
  const group = (n: number) => names.group(n);
  return {
    ...(s['uid'] !== undefined ? { user: who(s['uid'], 'UID', user) } : {}),
    process: {
      ...(s['pid'] !== undefined ? { id: s['pid'] } : {}),
      ...(s['exe'] !== undefined ? { name: s['exe'] } : {}),
      ...(event.cwd !== undefined ? { cwd: event.cwd } : {}),
      ...(parent?.name ? { parent_name: parent.name } : {}),
      ...(parent?.cwd ? { parent_cwd: parent.cwd } : {}),
      ...(s['ppid'] !== undefined ? { ppid: s['ppid'] } : {}),
    },
    ...(s['gid'] !== undefined ? { group: who(s['gid'], 'GID', group) } : {}),
    ...(s['auid'] !== undefined && s['auid'] !== UNSET ? { login_user: who(s['auid'], 'AUID', user) } : {}),
    ...(s['euid'] !== undefined ? { effective_user: who(s['euid'], 'EUID', user) } : {}),
  } as WhoData;
}
