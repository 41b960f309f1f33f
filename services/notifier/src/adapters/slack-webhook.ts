import { VigilError } from '@vigil/common';

/** Posts to a Slack incoming webhook. Errors never include the URL (it is a secret). */
export async function postToWebhook(url: string, payload: unknown, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new VigilError('SINK_FAILED', `Slack webhook unreachable: ${(cause as Error).name}`, { temporary: true });
  }
  const body = await response.text().catch(() => '');
  if (response.ok) return;
  const retryAfter = Number(response.headers.get('retry-after'));
  const temporary = response.status === 429 || response.status >= 500;
  throw new VigilError('SINK_FAILED', `Slack webhook answered ${response.status}: ${body.slice(0, 200)}`, {
    temporary,
    details: { status: response.status, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) },
  });
}
