/**
 * A token bucket for the per-agent event rate limit: `take` says how many events may go now and how long to wait
 * before asking again. Events over the limit are not dropped: they wait in the spool.
 */
export interface TokenBucket {
  ratePerSecond: number;
  tokens: number;
  updatedAtMs: number;
}

export function newBucket(ratePerSecond: number, nowMs: number): TokenBucket {
  return { ratePerSecond, tokens: ratePerSecond, updatedAtMs: nowMs };
}

export function takeTokens(bucket: TokenBucket, wanted: number, nowMs: number): { granted: number; waitMs: number } {
  if (bucket.ratePerSecond <= 0) return { granted: wanted, waitMs: 0 };
  const elapsed = Math.max(0, nowMs - bucket.updatedAtMs);
  bucket.tokens = Math.min(bucket.ratePerSecond, bucket.tokens + (elapsed * bucket.ratePerSecond) / 1000);
  bucket.updatedAtMs = nowMs;
  const granted = Math.min(wanted, Math.floor(bucket.tokens));
  bucket.tokens -= granted;
  const waitMs = granted < wanted ? Math.ceil(((1 - (bucket.tokens % 1)) * 1000) / bucket.ratePerSecond) : 0;
  return { granted, waitMs: Math.max(granted < wanted ? 1 : 0, waitMs) };
}
