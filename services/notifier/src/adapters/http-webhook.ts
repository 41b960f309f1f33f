import { createHmac } from 'node:crypto';
import { parseRetryAfter, type PostResult } from '../core/retry-policy.ts';

/** Header carrying `sha256=<hex>`: HMAC-SHA256 of the exact body with the destination's secret. */
export const SIGNATURE_HEADER = 'x-vigil-signature';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs a JSON body to a generic webhook, signed when a secret is given, and reports what happened as data like
 * the Slack adapter (any 2xx is accepted). Never retries, never throws; nothing returned contains the URL.
 */
export async function postJson(url: string, payload: unknown, timeoutMs: number, secret?: string, now: () => number = Date.now): Promise<PostResult> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret) headers[SIGNATURE_HEADER] = signBody(body, secret);
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text().catch(() => '');
    if (res.ok) return { kind: 'accepted', status: res.status };
    return { kind: 'http', status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now()), body: text.replace(/\s+/g, ' ').trim().slice(0, 200) };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; name?: string } };
    const name = e?.cause?.name ?? e?.name ?? 'Error';
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'network', reason: 'timed out' };
    return { kind: 'network', reason: e?.cause?.code ? `${name} ${e.cause.code}` : name };
  }
}
