/** One line of audit.log: `type=SYSCALL msg=audit(1700000000.123:4567): key=value ...`. */
export interface AuditRecord {
  type: string;
  /** Seconds since the epoch, with milliseconds. */
  time: number;
  serial: number;
  fields: Record<string, string>;
  /** The enriched part after the \x1d separator (log_format=ENRICHED): UID="root" AUID="alice" ... */
  enriched: Record<string, string>;
  raw: string;
}

const HEADER = /^(?:node=\S+ )?type=(\S+) msg=audit\((\d+(?:\.\d+)?):(\d+)\):\s?/;

/** Parses one audit.log line; undefined for anything that is not an audit record. */
export function parseAuditRecord(line: string): AuditRecord | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const body = line.slice(m[0].length);
  const sep = body.indexOf('\x1d');
  return {
    type: m[1] as string,
    time: Number(m[2]),
    serial: Number(m[3]),
    fields: parseFields(sep === -1 ? body : body.slice(0, sep)),
    enriched: sep === -1 ? {} : parseFields(body.slice(sep + 1)),
    raw: line,
  };
}

/** key=value pairs; values are "quoted", 'quoted' (msg='...' of user records) or bare up to the next space. */
export function parseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)=("([^"]*)"|'([^']*)'|(\S*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const key = m[1] as string;
    if (key === 'msg' && m[4] !== undefined) {
      Object.assign(out, parseFields(m[4]));
      continue;
    }
    out[key] = m[3] ?? m[4] ?? m[5] ?? '';
  }
  return out;
}

/**
 * A field that auditd may hex-encode (name, proctitle, execve arguments, comm, exe, cwd): a quoted value is
 * literal; an unquoted even-length hex value is decoded (NUL bytes become spaces, as in proctitle); `(null)` is
 * empty.
 */
export function decodeAuditValue(raw: string | undefined, wasQuoted: boolean): string | undefined {
  if (raw === undefined) return undefined;
  if (wasQuoted) return raw;
  if (raw === '(null)') return '';
  if (raw.length >= 2 && raw.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(raw)) {
    return Buffer.from(raw, 'hex').toString('utf8').replace(/\u0000+$/, '').replace(/\u0000/g, ' ');
  }
  return raw;
}

/** Whether the value of `key` in the record's line was quoted (so it is literal, not hex). */
export function isQuoted(record: AuditRecord, key: string): boolean {
  return new RegExp(`(?:^|\\s)${key}="`).test(record.raw);
}
