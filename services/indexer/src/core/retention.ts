const DAY_MS = 86_400_000;

/** The epoch ms before which rows are removed, or undefined when the age limit is 0 (keep everything). */
export function retentionCutoff(now: number, maxAgeDays: number): number | undefined {
  if (maxAgeDays <= 0) return undefined;
  return now - Math.round(maxAgeDays * DAY_MS);
}
