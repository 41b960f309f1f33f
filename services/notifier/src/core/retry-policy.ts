/** What one post to a webhook gave. */
export type PostResult =
  | { kind: 'accepted'; status: number }
  | { kind: 'http'; status: number; retryAfterMs?: number | undefined; body: string }
  | { kind: 'network'; reason: string };

/** What to do next with a message after a post. */
export type NextStep =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number; reason: string; rateLimited: boolean }
  | { kind: 'reject'; reason: string };

export interface RetrySettings {
  firstRetryMs: number;
  maxRetryMs: number;
  defaultRetryAfterSeconds: number;
}

/** Back-off after the `failures`-th consecutive 5xx or network failure: doubles from firstRetryMs, capped. */
export function backoffDelay(settings: RetrySettings, failures: number): number {
  return Math.min(settings.maxRetryMs, settings.firstRetryMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

/**
 * Decides after a post: accepted; 429 waits what Retry-After says; 5xx, 408 and network errors back off
 * exponentially (`failures` counts them, this one included); any other answer is permanent.
 */
export function nextStep(result: PostResult, failures: number, settings: RetrySettings): NextStep {
  if (result.kind === 'accepted') return { kind: 'done' };
  if (result.kind === 'network') return { kind: 'retry', delayMs: backoffDelay(settings, failures), reason: result.reason, rateLimited: false };
  const reason = `Slack answered ${result.status}${result.body ? `: ${result.body.slice(0, 200)}` : ''}`;
  if (result.status === 429) {
    return { kind: 'retry', delayMs: result.retryAfterMs ?? settings.defaultRetryAfterSeconds * 1000, reason, rateLimited: true };
  }
  if (result.status >= 500 || result.status === 408) return { kind: 'retry', delayMs: backoffDelay(settings, failures), reason, rateLimited: false };
  return { kind: 'reject', reason };
}

/** Reads a Retry-After header (seconds, or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
