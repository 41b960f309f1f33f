import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, nextStep, parseRetryAfter } from './retry-policy.ts';

const settings = { firstRetryMs: 100, maxRetryMs: 1000, defaultRetryAfterSeconds: 2 };

test('accepted is done; 429 waits Retry-After (or the default); 5xx, 408 and network errors back off; other 4xx are permanent', () => {
  assert.deepEqual(nextStep({ kind: 'accepted', status: 200 }, 0, settings), { kind: 'done' });
  assert.deepEqual(nextStep({ kind: 'http', status: 429, retryAfterMs: 3000, body: 'rate_limited' }, 0, settings), {
    kind: 'retry',
    delayMs: 3000,
    reason: 'Slack answered 429: rate_limited',
    rateLimited: true,
  });
  assert.equal((nextStep({ kind: 'http', status: 429, body: '' }, 0, settings) as { delayMs: number }).delayMs, 2000);
  assert.deepEqual(nextStep({ kind: 'http', status: 503, body: '' }, 3, settings), { kind: 'retry', delayMs: 400, reason: 'Slack answered 503', rateLimited: false });
  assert.deepEqual(nextStep({ kind: 'network', reason: 'TypeError ECONNREFUSED' }, 1, settings), {
    kind: 'retry',
    delayMs: 100,
    reason: 'TypeError ECONNREFUSED',
    rateLimited: false,
  });
  assert.equal(nextStep({ kind: 'http', status: 408, body: '' }, 1, settings).kind, 'retry');
  assert.deepEqual(nextStep({ kind: 'http', status: 404, body: 'no_service' }, 1, settings), { kind: 'reject', reason: 'Slack answered 404: no_service' });
  assert.equal(nextStep({ kind: 'http', status: 400, body: 'invalid_payload' }, 1, settings).kind, 'reject');
});

test('back-off doubles and is capped', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 50].map((n) => backoffDelay(settings, n)), [100, 200, 400, 800, 1000, 1000]);
});

test('Retry-After in seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('2', 0), 2000);
  assert.equal(parseRetryAfter('0.5', 0), 500);
  assert.equal(parseRetryAfter(null, 0), undefined);
  assert.equal(parseRetryAfter('soon', 0), undefined);
  const now = Date.parse('2024-05-10T12:00:00Z');
  assert.equal(parseRetryAfter('Fri, 10 May 2024 12:00:05 GMT', now), 5000);
});
