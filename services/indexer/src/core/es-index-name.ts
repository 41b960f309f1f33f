/** The daily index of an alert: `<prefix>-YYYY.MM.DD`, from the UTC date of its time (as Wazuh's indices). */
export function alertIndexName(prefix: string, epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

/** The index pattern that covers every daily index of a prefix. */
export function alertIndexPattern(prefix: string): string {
  return `${prefix}-*`;
}
