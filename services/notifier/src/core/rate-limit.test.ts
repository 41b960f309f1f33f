import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableTokens, fullBucket, takeToken } from './rate-limit.ts';

test('the token bucket allows a burst of `messages`, then one per period/messages, and says how long to wait', () => {
  const limit = { messages: 2, perSeconds: 1 };
  let state = fullBucket(limit, 0);
  let r = takeToken(state, limit, 0);
  assert.equal(r.waitMs, 0);
  r = takeToken((state = r.state), limit, 0);
  assert.equal(r.waitMs, 0);
  r = takeToken((state = r.state), limit, 100);
  assert.deepEqual(r, { state: { tokens: 0.2, refilledAt: 100 }, waitMs: 400 });
  r = takeToken((state = r.state), limit, 500);
  assert.equal(r.waitMs, 0);
  assert.ok(Math.abs(r.state.tokens) < 1e-9);
  r = takeToken((state = r.state), limit, 10_000);
  assert.deepEqual(r.state, { tokens: 1, refilledAt: 10_000 }, 'never more than `messages` tokens');
});

test('availableTokens counts whole tokens after refilling, without taking one', () => {
  const limit = { messages: 3, perSeconds: 3 };
  assert.equal(availableTokens({ tokens: 0.5, refilledAt: 0 }, limit, 0), 0);
  assert.equal(availableTokens({ tokens: 0.5, refilledAt: 0 }, limit, 500), 1);
  assert.equal(availableTokens({ tokens: 0, refilledAt: 0 }, limit, 60_000), 3);
});
