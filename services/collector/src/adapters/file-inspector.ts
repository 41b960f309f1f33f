import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import type { FimChecks } from '../fim-config.ts';
import type { FileState } from '../core/fim/file-state.ts';
import type { AccountNames } from './account-names.ts';

const buffer = Buffer.allocUnsafe(1 << 20);

/**
 * Reads the state of one regular file: the checked attributes from lstat, names from the account database, and
 * the hashes from one read of its content (files over `maxFileBytes` get empty hashes). Returns undefined when
 * the path is gone or is not a regular file; throws for other errors (e.g. EACCES) so the caller can report them.
 */
export function inspectFile(path: string, checks: FimChecks, maxFileBytes: number, names: AccountNames, stats?: Stats): FileState | undefined {
  let st: Stats;
  try {
    st = stats ?? lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
  if (!st.isFile()) return undefined;
  const state: FileState = { path };
  if (checks.size) state.size = st.size;
  if (checks.perm) state.mode = st.mode & 0o7777;
  if (checks.owner) {
    state.uid = st.uid;
    state.uname = names.user(st.uid) ?? '';
  }
  if (checks.group) {
    state.gid = st.gid;
    state.gname = names.group(st.gid) ?? '';
  }
  if (checks.mtime) state.mtime = Math.floor(st.mtimeMs / 1000);
  if (checks.inode) state.inode = st.ino;
  if (checks.md5 || checks.sha1 || checks.sha256) {
    const hashes = maxFileBytes > 0 && st.size > maxFileBytes ? undefined : hashFile(path, checks);
    if (checks.md5) state.md5 = hashes?.md5 ?? '';
    if (checks.sha1) state.sha1 = hashes?.sha1 ?? '';
    if (checks.sha256) state.sha256 = hashes?.sha256 ?? '';
  }
  return state;
}

function hashFile(path: string, checks: FimChecks): { md5?: string; sha1?: string; sha256?: string } | undefined {
  const md5 = checks.md5 ? createHash('md5') : undefined;
  const sha1 = checks.sha1 ? createHash('sha1') : undefined;
  const sha256 = checks.sha256 ? createHash('sha256') : undefined;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    let n: number;
    while ((n = readSync(fd, buffer, 0, buffer.length, null)) > 0) {
      const chunk = buffer.subarray(0, n);
      md5?.update(chunk);
      sha1?.update(chunk);
      sha256?.update(chunk);
    }
  } finally {
    closeSync(fd);
  }
  return {
    ...(md5 ? { md5: md5.digest('hex') } : {}),
    ...(sha1 ? { sha1: sha1.digest('hex') } : {}),
    ...(sha256 ? { sha256: sha256.digest('hex') } : {}),
  };
}
