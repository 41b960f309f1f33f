import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newBucket, takeTokens } from './token-bucket.ts';

test('a bucket grants up to its rate at once, then refills over time', () => {
  const b = newBucket(100, 0);
  assert.deepEqual(takeTokens(b, 150, 0), { granted: 100, waitMs: 10 });
  assert.equal(takeTokens(b, 50, 0).granted, 0);
  assert.equal(takeTokens(b, 50, 250).granted, 25);
  assert.equal(takeTokens(b, 500, 10_000).granted, 100, 'never more than one second of tokens');
});

test('rate 0 means no limit', () => {
  assert.deepEqual(takeTokens(newBucket(0, 0), 1e6, 0), { granted: 1e6, waitMs: 0 });
});
