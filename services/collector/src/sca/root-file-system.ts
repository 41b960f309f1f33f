import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DirectoryEntry, Failure, HostFileSystem, PathProbe } from './host-access.ts';

/**
 * The host's files seen under a root directory: `/` on the host itself, `/host` in a pod that mounts the node's
 * file system there. Paths are resolved one component at a time, so a symbolic link is followed *inside* the
 * root: `/host/etc/localtime -> /usr/share/zoneinfo/UTC` leads to `/host/usr/share/zoneinfo/UTC`, and `..` never
 * climbs above the root.
 */

const MAX_LINKS = 40;

function failure(err: unknown): Failure {
  const e = err as NodeJS.ErrnoException;
  return { ok: false, error: e.code ? `${e.code}` : String(e.message ?? err) };
}

type Resolved = { ok: true; path: string | undefined } | Failure;

export class RootFileSystem implements HostFileSystem {
  readonly root: string;

  constructor(root = '/') {
    this.root = resolve(root);
  }

  /** The real path under the root for a host path, or `path: undefined` when something on the way is missing. */
  async resolvePath(hostPath: string): Promise<Resolved> {
    const pending = hostPath.split('/').filter((p) => p !== '' && p !== '.');
    const done: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const part = pending.shift() as string;
      if (part === '..') {
        done.pop();
        continue;
      }
      const candidate = join(this.root, ...done, part);
      let info;
      try {
        info = await lstat(candidate);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { ok: true, path: undefined };
        return failure(err);
      }
      if (info.isSymbolicLink()) {
        if (++links > MAX_LINKS) return { ok: false, error: 'ELOOP' };
        let target: string;
        try {
          target = await readlink(candidate);
        } catch (err) {
          return failure(err);
        }
        if (target.startsWith('/')) done.length = 0;
        pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      if (pending.length > 0 && !info.isDirectory()) return { ok: false, error: 'ENOTDIR' };
      done.push(part);
    }
    return { ok: true, path: join(this.root, ...done) };
  }

  async probe(path: string): Promise<PathProbe> {
    const r = await this.resolvePath(path);
    if (!r.ok) return r;
    if (r.path === undefined) return { ok: true, kind: 'missing' };
    try {
      const s = await stat(r.path);
      return { ok: true, kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other' };
    } catch (err) {
      return failure(err);
    }
  }

  async readText(path: string): Promise<{ ok: true; text: string } | Failure> {
    const r = await this.resolvePath(path);
    if (!r.ok) return r;
    if (r.path === undefined) return { ok: false, error: 'ENOENT' };
    try {
      return { ok: true, text: await readFile(r.path, 'utf8') };
    } catch (err) {
      return failure(err);
    }
  }

  async readDirectory(path: string): Promise<{ ok: true; entries: DirectoryEntry[] } | Failure> {
    const r = await this.resolvePath(path);
    if (!r.ok) return r;
    if (r.path === undefined) return { ok: false, error: 'ENOENT' };
    try {
      const entries = await readdir(r.path, { withFileTypes: true });
      return { ok: true, entries: entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() })) };
    } catch (err) {
      return failure(err);
    }
  }
}
