import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from '@slack/webhook';
import { parseRetryAfter, type PostResult } from '../core/retry-policy.ts';
import type { SlackPayload } from '../core/slack-payload.ts';

/**
 * Posts one message to a Slack incoming webhook through `@slack/webhook` and reports what happened as data:
 * accepted, an HTTP answer (status, Retry-After, Slack's error text) or a network failure. It never retries (the
 * notifier's delivery loop does, honouring Retry-After) and never throws for a failed post.
 *
 * `@slack/webhook` reports the status and body of a failed post but not its headers, so the fetch it uses is
 * wrapped to read `Retry-After` from the response. Nothing returned or thrown contains the URL, which is a secret.
 */
export async function postToWebhook(url: string, payload: SlackPayload, timeoutMs: number, now: () => number = Date.now): Promise<PostResult> {
  let retryAfter: string | null = null;
  const observingFetch: FetchFunction = async (input, init) => {
    const response = await fetch(input, init as RequestInit);
    retryAfter = response.headers.get('retry-after');
    return response;
  };
  const webhook = new IncomingWebhook(url, { fetch: observingFetch, timeout: timeoutMs, retryConfig: { retries: 0 } });
  try {
    await webhook.send(payload);
    return { kind: 'accepted', status: 200 };
  } catch (err) {
    if (err instanceof IncomingWebhookHTTPError) {
      return { kind: 'http', status: err.statusCode, retryAfterMs: parseRetryAfter(retryAfter, now()), body: oneLine(err.body) };
    }
    if (err instanceof IncomingWebhookRequestError) return { kind: 'network', reason: networkReason(err.original) };
    return { kind: 'network', reason: networkReason(err) };
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** A failure described by its class and system code only: fetch messages may carry the host or URL. */
function networkReason(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  const code = [e?.cause?.code, e?.code].find((c) => typeof c === 'string');
  const name = e?.cause?.name ?? e?.name ?? 'Error';
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  return code ? `${name} ${code}` : name;
}
