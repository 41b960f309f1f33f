import type { FileChange } from './diff-file-state.ts';
import { formatMtime, permString, type FileState } from './file-state.ts';

export type FimMode = 'scheduled' | 'realtime' | 'whodata';

/** Who changed a file, as Wazuh's `syscheck.audit` (empty values are left out). */
export interface WhoData {
  user?: { id?: string; name?: string };
  process?: { id?: string; name?: string; cwd?: string; parent_name?: string; parent_cwd?: string; ppid?: string };
  group?: { id?: string; name?: string };
  login_user?: { id?: string; name?: string };
  effective_user?: { id?: string; name?: string };
}

/** Attributes in the order Wazuh writes them in the alert's `syscheck` object, with how each is written. */
const ATTRIBUTES: ReadonlyArray<readonly [string, (s: FileState) => string | number | undefined]> = [
  ['size', (s) => (s.size === undefined ? undefined : String(s.size))],
  ['perm', (s) => (s.mode === undefined ? undefined : permString(s.mode))],
  ['uid', (s) => (s.uid === undefined ? undefined : String(s.uid))],
  ['gid', (s) => (s.gid === undefined ? undefined : String(s.gid))],
  ['md5', (s) => s.md5],
  ['sha1', (s) => s.sha1],
  ['sha256', (s) => s.sha256],
  ['uname', (s) => s.uname],
  ['gname', (s) => s.gname],
  ['mtime', (s) => (s.mtime === undefined ? undefined : formatMtime(s.mtime))],
  ['inode', (s) => s.inode],
];

/**
 * The `syscheck` object of a FIM alert, exactly as Wazuh writes it: `path`, `mode`, then per attribute
 * `X_before` (only when non-empty and different from after) and `X_after` (when non-empty), then `diff`, `tags`,
 * `changed_attributes`, `event` and `audit`. Sizes, ids and permissions are strings; inodes are numbers; mtimes
 * are local `YYYY-MM-DDTHH:MM:SS±hhmm`. For a deleted file the last known state is written as `_after`, as Wazuh
 * does.
 */
export function syscheckObject(
  change: FileChange,
  mode: FimMode,
  extra: { diff?: string; tags?: string[]; audit?: WhoData } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { path: change.path, mode };
  const after = change.after ?? change.before;
  const before = change.event === 'modified' ? change.before : undefined;
  for (const [name, read] of ATTRIBUTES) {
    const a = after ? read(after) : undefined;
    const b = before ? read(before) : undefined;
    if (b !== undefined && b !== '' && b !== a) out[`${name}_before`] = b;
    if (a !== undefined && a !== '') out[`${name}_after`] = a;
  }
  if (extra.diff !== undefined) out['diff'] = extra.diff;
  if (extra.tags && extra.tags.length > 0) out['tags'] = extra.tags;
  if (change.changedAttributes.length > 0) out['changed_attributes'] = change.changedAttributes;
  out['event'] = change.event;
  const audit = extra.audit ? pruneEmpty(extra.audit as Record<string, unknown>) : undefined;
  if (audit) out['audit'] = audit;
  return out;
}

function pruneEmpty(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === '') continue;
    if (typeof v === 'object' && v !== null) {
      const inner = pruneEmpty(v as Record<string, unknown>);
      if (inner) out[k] = inner;
    } else out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const FULL_LOG_LINES: ReadonlyArray<readonly [string, (b: string, a: string) => string]> = [
  ['size', (b, a) => `Size changed from '${b}' to '${a}'`],
  ['perm', (b, a) => `Permissions changed from '${b}' to '${a}'`],
  ['uid', (b, a) => `Ownership was '${b}', now it is '${a}'`],
  ['uname', (b, a) => `User name was '${b}', now it is '${a}'`],
  ['gid', (b, a) => `Group ownership was '${b}', now it is '${a}'`],
  ['gname', (b, a) => `Group name was '${b}', now it is '${a}'`],
  ['mtime', (b, a) => `Old modification time was: '${b}', now it is '${a}'`],
  ['inode', (b, a) => `Old inode was: '${b}', now it is '${a}'`],
  ['md5', (b, a) => `Old md5sum was: '${b}'\nNew md5sum is : '${a}'`],
  ['sha1', (b, a) => `Old sha1sum was: '${b}'\nNew sha1sum is : '${a}'`],
  ['sha256', (b, a) => `Old sha256sum was: '${b}'\nNew sha256sum is : '${a}'`],
];

/** The `full_log` Wazuh rebuilds for a FIM event (semantics §9), from the `syscheck` object. */
export function fimFullLog(syscheck: Record<string, unknown>): string {
  const lines = [`File '${String(syscheck['path'])}' ${String(syscheck['event'])}`, `Mode: ${String(syscheck['mode'])}`];
  const changed = syscheck['changed_attributes'];
  if (Array.isArray(changed) && changed.length > 0) lines.push(`Changed attributes: ${changed.join(',')}`);
  for (const [name, line] of FULL_LOG_LINES) {
    const b = syscheck[`${name}_before`];
    if (b !== undefined) lines.push(line(String(b), String(syscheck[`${name}_after`] ?? '')));
  }
  if (typeof syscheck['diff'] === 'string') lines.push('', 'What changed:', syscheck['diff']);
  return lines.join('\n');
}
