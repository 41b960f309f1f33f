import { readlinkSync } from 'node:fs';
import type { Logger } from '@vigil/common';
import { AuditAssembler, touchedPaths, type AuditEvent } from '../core/audit/audit-event.ts';
import { parseAuditRecord } from '../core/audit/audit-record.ts';
import { whodataOf, type IdNames } from '../core/audit/whodata.ts';
import type { WhoData } from '../core/fim/syscheck-payload.ts';
import { FileTailer } from './file-tailer.ts';

const KEEP_MS = 30_000;

/** The executable and working directory of a live process, from /proc (empty if it has exited). */
function processInfo(pid: string | undefined): { name?: string; cwd?: string } {
  if (!pid || !/^\d+$/.test(pid)) return {};
  const out: { name?: string; cwd?: string } = {};
  try {
    out.name = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    // exited, or not ours to read
  }
  try {
    out.cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // as above
  }
  return out;
}

/**
 * Follows the audit log (from its end) for who-data: groups records into events by serial and remembers, for
 * the last 30 s, which event touched which path. FIM asks it who changed a path it just saw change.
 */
export class AuditTrail {
  private readonly tailer: FileTailer;
  private readonly assembler = new AuditAssembler();
  private readonly recent = new Map<string, { event: AuditEvent; parent: { name?: string; cwd?: string }; at: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { path: string; names: IdNames; logger: Logger; pollMs?: number; onEvent?: (event: AuditEvent) => void },
  ) {
    this.tailer = new FileTailer(options.path, 1 << 20, undefined, true);
  }

  start(): void {
    this.timer = setInterval(() => this.poll(), this.options.pollMs ?? 50);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.tailer.close();
  }

  /** Reads what auditd wrote since the last poll. Events still open are completed once the log is idle. */
  poll(): void {
    let read = false;
    for (;;) {
      let batch;
      try {
        batch = this.tailer.read(5000);
      } catch (err) {
        this.options.logger.warn({ err, path: this.options.path }, 'cannot read the audit log');
        return;
      }
      if (!batch) break;
      read = true;
      for (const line of batch.lines) {
        const record = parseAuditRecord(line.text);
        if (record) for (const e of this.assembler.push(record)) this.remember(e);
      }
      this.tailer.commit(batch.inode, batch.to);
    }
    // auditd writes an event's records together: when nothing new came, the open ones are complete.
    if (!read) for (const e of this.assembler.flush()) this.remember(e);
    const old = Date.now() - KEEP_MS;
    for (const [path, r] of this.recent) if (r.at < old) this.recent.delete(path);
  }

  private remember(event: AuditEvent): void {
    this.options.onEvent?.(event);
    if (!event.syscall) return;
    // The parent may exit soon: look it up now.
    const parent = processInfo(event.syscall['ppid']);
    for (const path of touchedPaths(event)) this.recent.set(path, { event, parent, at: Date.now() });
  }

  /** Who last changed `path` (waiting up to `waitMs` for auditd to write it), or undefined if unknown. */
  async lookup(path: string, waitMs: number): Promise<WhoData | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      this.poll();
      const hit = this.recent.get(path);
      if (hit) return whodataOf(hit.event, this.options.names, hit.parent);
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
