import type { Alert } from '@vigil/common';

/** An alert's time as an instant (ms), reading Wazuh's `+0000` offsets and epoch numbers; NaN when unreadable. */
export function alertInstant(timestamp: string): number {
  if (/^\d+(\.\d+)?$/.test(timestamp)) {
    const n = Number(timestamp);
    return n < 1e11 ? n * 1000 : n; // seconds or milliseconds since the epoch
  }
  return Date.parse(timestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** The time shown in text output: ISO 8601 in UTC, or the timestamp as it was when it cannot be read. */
export function displayTime(timestamp: string): string {
  const ms = alertInstant(timestamp);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : timestamp;
}

/** Newest first (by time, then by id for equal times); alerts with an unreadable time go last. Returns a copy. */
export function newestFirst(alerts: readonly Alert[]): Alert[] {
  const at = (a: Alert) => {
    const ms = alertInstant(a.timestamp);
    return Number.isFinite(ms) ? ms : -Infinity;
  };
  return [...alerts].sort((a, b) => at(b) - at(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export function formatAlertLine(a: Alert): string {
  return `${displayTime(a.timestamp)}  level ${String(a.rule.level).padStart(2)}  rule ${a.rule.id.padEnd(6)}  ${a.agent.name}  ${a.rule.description}`;
}

/** The lines `vigil alerts` prints: newest first, one JSON object a line with `json`, else readable lines. */
export function alertLines(alerts: readonly Alert[], json: boolean): string[] {
  const ordered = newestFirst(alerts);
  if (json) return ordered.map((a) => JSON.stringify(a));
  if (ordered.length === 0) return ['no alerts match'];
  return ordered.map(formatAlertLine);
}
