const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function field(entry: Record<string, unknown>, name: string): string | undefined {
  const v = entry[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  // journalctl -o json gives non-UTF-8 or binary values as arrays of bytes
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

/** `Mmm dd HH:MM:SS` in local time, the day padded with a space, as syslog writes it. */
export function syslogTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * A journal entry (one line of `journalctl -o json`) as the syslog line it would have been, as Wazuh's journald
 * reader does, so the usual decoders (sshd, sudo, ...) apply: `<time> <host> <identifier>[<pid>]: <message>`.
 * Returns undefined for an entry without a message.
 */
export function journalLine(entry: Record<string, unknown>): { line: string; cursor: string | undefined } | undefined {
  const message = field(entry, 'MESSAGE');
  if (message === undefined) return undefined;
  const micros = Number(field(entry, '__REALTIME_TIMESTAMP') ?? NaN);
  const time = syslogTimestamp(Number.isFinite(micros) ? new Date(micros / 1000) : new Date());
  const host = field(entry, '_HOSTNAME') ?? 'localhost';
  const ident = field(entry, 'SYSLOG_IDENTIFIER') ?? field(entry, '_COMM') ?? 'journal';
  const pid = field(entry, 'SYSLOG_PID') ?? field(entry, '_PID');
  return { line: `${time} ${host} ${ident}${pid ? `[${pid}]` : ''}: ${message.replace(/\n/g, ' ')}`, cursor: field(entry, '__CURSOR') };
}

/** How Wazuh's logcollector presents command output: one line per event, or the whole output (full_command). */
export function commandOutputEvents(alias: string, output: string, full: boolean): string[] {
  const text = output.replace(/\n+$/, '');
  if (full) return text === '' ? [] : [`ossec: output: '${alias}':\n${text}`];
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => `ossec: output: '${alias}': ${l}`);
}
