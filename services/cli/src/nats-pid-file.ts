import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';

/**
 * What `vigil start` records about the nats-server it started, in dataDir/nats/nats-server.pid: the server's pid
 * and command line, and the pid and command line of the `vigil start` that owns it. A pid alone could have been
 * reused by another process since; the command line in /proc/<pid>/cmdline tells.
 */
export interface NatsPidRecord {
  pid: number;
  cmdline: string[];
  host: string;
  port: number;
  storeDir: string;
  owner: { pid: number; cmdline: string[] };
}

/**
 * The pid file seen at start-up:
 * - `none`: there is none;
 * - `stale`: it names no live nats-server of ours (the process is gone, the pid was reused, or the file is not
 *   one we wrote): it can be removed;
 * - `orphaned`: our nats-server runs, but the `vigil start` that started it is gone (crashed or was killed);
 * - `owned`: our nats-server runs under a live `vigil start`.
 */
export type NatsPidFileState =
  | { kind: 'none' }
  | { kind: 'stale'; reason: string }
  | { kind: 'orphaned'; record: NatsPidRecord }
  | { kind: 'owned'; record: NatsPidRecord };

/** The command line of a live process as /proc shows it; undefined when there is no such process (or a zombie). */
export type CmdlineOf = (pid: number) => string[] | undefined;

export function natsPidFilePath(storeDir: string): string {
  return join(storeDir, 'nats-server.pid');
}

export const procCmdline: CmdlineOf = (pid) => {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  // A zombie (exited, not yet reaped) has an empty command line: it is gone for our purposes.
  if (raw === '') return undefined;
  return raw.replace(/\0$/, '').split('\0');
};

function sameCommand(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((word, i) => word === b[i]);
}

function isRecord(value: unknown): value is NatsPidRecord {
  const r = value as Partial<NatsPidRecord> | null;
  const isCmdline = (c: unknown) => Array.isArray(c) && c.length > 0 && c.every((w) => typeof w === 'string');
  return (
    typeof r === 'object' && r !== null &&
    Number.isInteger(r.pid) && (r.pid as number) > 0 && isCmdline(r.cmdline) &&
    typeof r.host === 'string' && Number.isInteger(r.port) && typeof r.storeDir === 'string' &&
    typeof r.owner === 'object' && r.owner !== null && Number.isInteger(r.owner.pid) && isCmdline(r.owner.cmdline)
  );
}

/** Reads the pid file and says whether the nats-server it names still runs, and whether its owner does. */
export function inspectNatsPidFile(file: string, cmdlineOf: CmdlineOf = procCmdline): NatsPidFileState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'stale', reason: `unreadable: ${(err as Error).message}` };
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return { kind: 'stale', reason: 'not a pid file written by vigil start' };
  }
  if (!isRecord(record)) return { kind: 'stale', reason: 'not a pid file written by vigil start' };
  const running = cmdlineOf(record.pid);
  if (!sameCommand(running, record.cmdline)) {
    return { kind: 'stale', reason: running ? `pid ${record.pid} is now another program (${running[0]})` : `nats-server pid ${record.pid} is not running` };
  }
  return sameCommand(cmdlineOf(record.owner.pid), record.owner.cmdline) ? { kind: 'owned', record } : { kind: 'orphaned', record };
}

export function writeNatsPidFile(file: string, record: NatsPidRecord): void {
  writeFileSync(file, `${JSON.stringify(record)}\n`);
}

export function removeNatsPidFile(file: string): void {
  rmSync(file, { force: true });
}

/**
 * Whether process `pid` has finished exiting: no such process, or a zombie whose threads have all exited (the
 * last one closes the files, sockets included). An exiting process loses its command line before it closes its
 * files, and the main thread of a multi-threaded one (nats-server) can be a zombie while other threads still
 * exit, so neither means its listening port is free yet.
 */
export function processExited(pid: number): boolean {
  let stat: string;
  let threads: string[];
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return (state === 'Z' || state === 'X') && threads.length <= 1;
}

/**
 * Stops the process of `record` (SIGTERM, then SIGKILL after `graceMs`) and resolves once it has exited (its port
 * is free then). Signals only the process whose command line is still the recorded one, so a reused pid is never hit.
 */
export async function stopRecordedProcess(record: Pick<NatsPidRecord, 'pid' | 'cmdline'>, graceMs = 10_000, cmdlineOf: CmdlineOf = procCmdline): Promise<void> {
  if (!sameCommand(cmdlineOf(record.pid), record.cmdline)) return;
  // Alive while it has not exited, unless the pid already runs another program (reused in the meantime).
  const alive = () => {
    if (processExited(record.pid)) return false;
    const now = cmdlineOf(record.pid);
    return now === undefined || sameCommand(now, record.cmdline);
  };
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(record.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return !alive();
  };
  signal('SIGTERM');
  if (await waitGone(graceMs)) return;
  signal('SIGKILL');
  if (!(await waitGone(graceMs))) {
    throw new VigilError('NATS_UNAVAILABLE', `nats-server pid ${record.pid} (${record.cmdline.join(' ')}) did not exit after SIGTERM and SIGKILL`, { details: { pid: record.pid } });
  }
}
