import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VigilError, type ArCommand } from '@vigil/common';

/** An executed command waiting for its revert. */
export interface PendingRevert {
  command: ArCommand;
  executedAt: number;
  revertAt: number;
}

interface StateFile {
  version: 1;
  /** Command ids handled (executed, refused, dry run) → when: a redelivered command is not run again. */
  done: Record<string, number>;
  pending: PendingRevert[];
}

const KEEP_DONE_MS = 7 * 24 * 3600 * 1000;

/**
 * The collector's active-response state in one JSON file (written to a temporary file and renamed, so a kill -9
 * leaves the old or the new file, never half of one): handled command ids and pending reverts, so a restarted
 * collector reverts on time what it executed before.
 */
export class ActiveResponseState {
  private state: StateFile;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.state = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StateFile) : { version: 1, done: {}, pending: [] };
    } catch (cause) {
      throw new VigilError('SPOOL_UNAVAILABLE', `cannot read the active-response state ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  has(id: string): boolean {
    return id in this.state.done;
  }

  pending(): readonly PendingRevert[] {
    return this.state.pending;
  }

  /** Marks a command handled, with its pending revert if it has one; written before the command is acked. */
  record(id: string, at: number, revert?: PendingRevert): void {
    this.state.done[id] = at;
    if (revert) {
      // A newer action on the same target supersedes the older one's revert (repeated offenders get the longer time).
      const key = targetKey(revert.command);
      this.state.pending = this.state.pending.filter((p) => targetKey(p.command) !== key);
      this.state.pending.push(revert);
    }
    for (const [k, t] of Object.entries(this.state.done)) if (t < at - KEEP_DONE_MS) delete this.state.done[k];
    this.save();
  }

  /** Pending reverts whose time has come. */
  due(now: number): PendingRevert[] {
    return this.state.pending.filter((p) => p.revertAt <= now);
  }

  reverted(id: string): void {
    this.state.pending = this.state.pending.filter((p) => p.command.id !== id);
    this.save();
  }

  private save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.path);
  }
}

/** What a revert undoes: the same built-in (or script) on the same address or user. */
export function targetKey(c: Pick<ArCommand, 'command' | 'script' | 'srcip' | 'user'>): string {
  return `${c.command}|${c.script ?? ''}|${c.srcip ?? ''}|${c.user ?? ''}`;
}
