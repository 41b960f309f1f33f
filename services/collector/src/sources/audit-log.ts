import type { Logger } from '@vigil/common';
import { AuditAssembler, auditPayload, type AuditEvent } from '../core/audit/audit-event.ts';
import { parseAuditRecord } from '../core/audit/audit-record.ts';
import type { FileOffset } from '../core/collector-state.ts';
import type { EventDraft } from '../core/raw-event.ts';
import { FileTailer } from '../adapters/file-tailer.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import type { EventSource } from './event-source.ts';

const CHECKPOINT = 'audit:offset';

/** A complete audit event as a raw event of kind `audit`: its records on one line (as Wazuh's audit format), decoded fields in the payload. */
export function auditDraft(event: AuditEvent): EventDraft {
  return { kind: 'audit', location: 'audit', log: event.records.map((r) => r.raw.replace(/\x1d/g, ' ')).join(' '), payload: auditPayload(event) };
}

/**
 * auditd as a log source: follows audit.log (offset kept in the spool's checkpoints), merges the records of each
 * serial and spools each complete event with hex fields (EXECVE arguments, proctitle, names) decoded, so rules
 * can match the commands run.
 */
export class AuditLogSource implements EventSource {
  readonly name = 'audit-log';
  private tailer: FileTailer | undefined;
  private readonly assembler = new AuditAssembler();
  private timer: NodeJS.Timeout | undefined;
  private reported = false;

  constructor(private readonly options: { path: string; spool: SpoolStore; logger: Logger; pollMs: number }) {}

  describe(): string[] {
    return [`audit: ${this.options.path}`];
  }

  async start(): Promise<void> {
    const { spool, path, pollMs } = this.options;
    this.tailer = new FileTailer(path, 1 << 20, spool.checkpoint<FileOffset>(CHECKPOINT), true);
    this.poll();
    this.timer = setInterval(() => this.poll(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.poll();
    const rest = this.assembler.flush();
    if (rest.length > 0) this.options.spool.append(rest.map(auditDraft));
    this.tailer?.close();
  }

  private poll(): void {
    const tailer = this.tailer;
    if (!tailer || !this.options.spool.hasRoom()) return;
    let read = false;
    try {
      for (let batch = tailer.read(2000); batch; batch = tailer.read(2000)) {
        read = true;
        const events: AuditEvent[] = [];
        for (const line of batch.lines) {
          const record = parseAuditRecord(line.text);
          if (record) events.push(...this.assembler.push(record));
        }
        this.options.spool.append(events.map(auditDraft), { [CHECKPOINT]: { inode: batch.inode, offset: batch.to } });
        tailer.commit(batch.inode, batch.to);
      }
      this.reported = false;
    } catch (err) {
      if (!this.reported) this.options.logger.warn({ err, path: this.options.path }, 'cannot read the audit log; will retry');
      this.reported = true;
    }
    // auditd writes an event's records together: once the log is idle, the open events are complete.
    if (!read) {
      const done = this.assembler.flush();
      if (done.length > 0) this.options.spool.append(done.map(auditDraft));
    }
  }
}
