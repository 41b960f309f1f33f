import type { SplitLine } from './line-splitter.ts';

/** A multi-line record: its lines joined by `\n`, and the offset just past its last line. */
export interface MultilineRecord {
  text: string;
  endOffset: number;
  truncated: boolean;
}

/**
 * Groups lines into records, each starting at a line that matches `start` (Wazuh's multi-line-regex,
 * match="start"). The last record may continue in lines not read yet: it is returned only when `flush` is set
 * (no more data arrived within the timeout, or the batch is full); otherwise its lines are read again later.
 * Lines before the first start line form a record of their own.
 */
export function groupMultiline(lines: readonly SplitLine[], start: RegExp, flush: boolean): { records: MultilineRecord[]; pendingFrom: number | undefined } {
  const records: MultilineRecord[] = [];
  let current: SplitLine[] = [];
  const close = () => {
    if (current.length === 0) return;
    records.push({
      text: current.map((l) => l.text).join('\n'),
      endOffset: (current[current.length - 1] as SplitLine).endOffset,
      truncated: current.some((l) => l.truncated),
    });
    current = [];
  };
  for (const line of lines) {
    if (start.test(line.text)) close();
    current.push(line);
  }
  if (flush) {
    close();
    return { records, pendingFrom: undefined };
  }
  return { records, pendingFrom: current.length > 0 ? records.length : undefined };
}
