import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Failure, ProcessInfo, ProcessTable } from './host-access.ts';

/**
 * Running processes read from a proc directory: `/proc` on the host, or the node's `/proc` in a pod (with
 * `hostPID: true`, or the node's proc mounted under the root). Each process gives its short name (`comm`, what
 * `ps` shows and what Wazuh compares) and the first word of its command line.
 */
export class ProcTable implements ProcessTable {
  constructor(private readonly procDir = '/proc') {}

  async list(): Promise<{ ok: true; processes: ProcessInfo[] } | Failure> {
    let names: string[];
    try {
      names = await readdir(this.procDir);
    } catch (err) {
      return { ok: false, error: `${this.procDir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
    const processes: ProcessInfo[] = [];
    for (const pid of names.filter((n) => /^\d+$/.test(n))) {
      try {
        const name = (await readFile(join(this.procDir, pid, 'comm'), 'utf8')).replace(/\n$/, '');
        let path: string | undefined;
        try {
          path = (await readFile(join(this.procDir, pid, 'cmdline'), 'utf8')).split('\0')[0] || undefined;
        } catch {
          path = undefined; // a kernel thread or a process that just ended
        }
        processes.push(path === undefined ? { name } : { name, path });
      } catch {
        // the process ended while we were reading
      }
    }
    return { ok: true, processes };
  }
}
