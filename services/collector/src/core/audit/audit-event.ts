import { decodeAuditValue, isQuoted, type AuditRecord } from './audit-record.ts';

/** The records of one audit event (one serial), merged: what a rule or who-data needs. */
export interface AuditEvent {
  serial: number;
  time: number;
  types: string[];
  syscall: Record<string, string> | undefined;
  cwd: string | undefined;
  paths: Array<{ item: number; name: string; nametype: string; inode?: string; mode?: string; ouid?: string; ogid?: string }>;
  proctitle: string | undefined;
  execve: string[] | undefined;
  enriched: Record<string, string>;
  records: AuditRecord[];
}

export function mergeAuditRecords(records: readonly AuditRecord[]): AuditEvent {
  const first = records[0] as AuditRecord;
  const event: AuditEvent = {
    serial: first.serial,
    time: first.time,
    types: [],
    syscall: undefined,
    cwd: undefined,
    paths: [],
    proctitle: undefined,
    execve: undefined,
    enriched: {},
    records: [...records],
  };
  for (const r of records) {
    if (!event.types.includes(r.type)) event.types.push(r.type);
    Object.assign(event.enriched, r.enriched);
    switch (r.type) {
      case 'SYSCALL':
        event.syscall = { ...r.fields };
        for (const key of ['comm', 'exe']) {
          const v = decodeAuditValue(r.fields[key], isQuoted(r, key));
          if (v !== undefined) event.syscall[key] = v;
        }
        break;
      case 'CWD':
        event.cwd = decodeAuditValue(r.fields['cwd'], isQuoted(r, 'cwd'));
        break;
      case 'PATH':
        event.paths.push({
          item: Number(r.fields['item'] ?? event.paths.length),
          name: decodeAuditValue(r.fields['name'], isQuoted(r, 'name')) ?? '',
          nametype: r.fields['nametype'] ?? '',
          ...(r.fields['inode'] ? { inode: r.fields['inode'] } : {}),
          ...(r.fields['mode'] ? { mode: r.fields['mode'] } : {}),
          ...(r.fields['ouid'] ? { ouid: r.fields['ouid'] } : {}),
          ...(r.fields['ogid'] ? { ogid: r.fields['ogid'] } : {}),
        });
        break;
      case 'PROCTITLE':
        event.proctitle = decodeAuditValue(r.fields['proctitle'], isQuoted(r, 'proctitle'));
        break;
      case 'EXECVE': {
        const argc = Number(r.fields['argc'] ?? 0);
        const args: string[] = [];
        for (let i = 0; i < argc; i++) args.push(decodeAuditValue(r.fields[`a${i}`], isQuoted(r, `a${i}`)) ?? '');
        event.execve = args;
        break;
      }
    }
  }
  event.paths.sort((a, b) => a.item - b.item);
  return event;
}

/**
 * Groups audit records into events by serial, as they are read. An event is complete at its EOE record, or
 * when records of `lookahead` later serials have arrived without it (events without EOE: single-record ones),
 * or on `flush()`.
 */
export class AuditAssembler {
  private readonly open = new Map<number, AuditRecord[]>();

  constructor(private readonly lookahead = 4) {}

  push(record: AuditRecord): AuditEvent[] {
    const done: AuditEvent[] = [];
    if (record.type === 'EOE') {
      const records = this.open.get(record.serial);
      this.open.delete(record.serial);
      if (records) done.push(mergeAuditRecords(records));
      return done;
    }
    const list = this.open.get(record.serial);
    if (list) list.push(record);
    else this.open.set(record.serial, [record]);
    // Serials older than the last `lookahead` open ones will get no more records.
    if (this.open.size > this.lookahead) {
      const serials = [...this.open.keys()].sort((a, b) => a - b);
      for (const s of serials.slice(0, serials.length - this.lookahead)) {
        done.push(mergeAuditRecords(this.open.get(s) as AuditRecord[]));
        this.open.delete(s);
      }
    }
    return done;
  }

  flush(): AuditEvent[] {
    const done = [...this.open.keys()].sort((a, b) => a - b).map((s) => mergeAuditRecords(this.open.get(s) as AuditRecord[]));
    this.open.clear();
    return done;
  }
}

/** The paths an event touched (absolute, resolved against its CWD), leaving out PARENT entries. */
export function touchedPaths(event: AuditEvent): string[] {
  const out: string[] = [];
  for (const p of event.paths) {
    if (p.nametype === 'PARENT' || p.name === '') continue;
    const abs = p.name.startsWith('/') ? p.name : `${(event.cwd ?? '/').replace(/\/$/, '')}/${p.name.replace(/^\.\//, '')}`;
    out.push(normalize(abs));
  }
  return out;
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** An audit event as the payload of a raw event of kind `audit` (hex fields decoded), so rules can match commands. */
export function auditPayload(event: AuditEvent): Record<string, unknown> {
  return {
    audit: {
      id: String(event.serial),
      timestamp: new Date(event.time * 1000).toISOString(),
      types: event.types,
      ...(event.syscall ? { syscall: event.syscall } : {}),
      ...(event.cwd !== undefined ? { cwd: event.cwd } : {}),
      ...(event.paths.length > 0 ? { paths: event.paths } : {}),
      ...(event.proctitle !== undefined ? { proctitle: event.proctitle } : {}),
      ...(event.execve ? { execve: { argc: event.execve.length, args: event.execve, command: event.execve.join(' ') } } : {}),
      ...(event.syscall?.['key'] && event.syscall['key'] !== '(null)' ? { key: event.syscall['key'] } : {}),
    },
  };
}
