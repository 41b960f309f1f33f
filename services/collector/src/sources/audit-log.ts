import type { Logger } from '@vigil/common';
import { AuditAssembler, auditPayload, type AuditEvent } from '../core/audit/audit-event.ts';
import { parseAuditRecord } from '../core/audit/audit-record.ts';
import type { FileOffset } from '../core/collector-state.ts';
import type { EventDraft } from '../core/raw-event.ts';
import { FileTailer } from '../adapters/file-tailer.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import type { EventSource } from './event-source.ts';
import type { ContainerLookup } from '../adapters/container-lookup.ts';
import { containerPayload, containerRecord } from '../core/containers/container-record.ts';

const CHECKPOINT = 'audit:offset';

/**
 * A complete audit event as a raw event of kind `audit`: its records on one line (as Wazuh's audit format), decoded
 * fields in the payload. With `containers`, a process that ran in a container gets one more record naming the
 * container and its pod (VIGIL_CONTAINER, see core/containers/container-record.ts) and `payload.audit.container`.
 */
export function auditDraft(event: AuditEvent, containers?: ContainerLookup): EventDraft {
  const records = event.records.map((r) => r.raw.replace(/\x1d/g, ' '));
  const payload = auditPayload(event);
  const syscall = event.syscall;
  const facts = containers && syscall ? containers.ofProcess([syscall['pid'], syscall['ppid']]) : undefined;
  if (facts) {
    const stamp = /msg=audit\(([^)]+)\)/.exec(records[0] ?? '')?.[1] ?? `${event.time}:${event.serial}`;
    records.push(containerRecord(stamp, facts));
    (payload['audit'] as Record<string, unknown>)['container'] = containerPayload(facts);
  }
  return { kind: 'audit', location: 'audit', log: records.join(' '), payload };
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

  constructor(private readonly options: { path: string; spool: SpoolStore; logger: Logger; pollMs: number; containers?: ContainerLookup }) {}

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
    if (rest.length > 0) this.options.spool.append(rest.map((e) => auditDraft(e, this.options.containers)));
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
        this.options.spool.append(events.map((e) => auditDraft(e, this.options.containers)), { [CHECKPOINT]: { inode: batch.inode, offset: batch.to } });
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
      if (done.length > 0) this.options.spool.append(done.map((e) => auditDraft(e, this.options.containers)));
    }
  }
}
