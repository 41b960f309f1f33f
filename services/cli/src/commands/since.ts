/** Parses `--since`: a duration back from now (`30s`, `10m`, `2h`, `7d`) or a date. Returns epoch ms. */
export function parseSince(value: string, now: number = Date.now()): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/.exec(value.trim());
  if (m) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return now - Number(m[1]) * unit;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`--since: '${value}' is neither a duration (30s, 10m, 2h, 7d) nor a date`);
  return t;
}
