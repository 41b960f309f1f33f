import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSince } from './since.ts';

const now = Date.parse('2026-11-28T12:00:00Z');

test('durations count back from now', () => {
  assert.equal(parseSince('30s', now), now - 30_000);
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('2h', now), now - 7_200_000);
  assert.equal(parseSince('7d', now), now - 7 * 86_400_000);
});

test('dates are taken as they are', () => {
  assert.equal(parseSince('2026-11-01T00:00:00Z', now), Date.parse('2026-11-01T00:00:00Z'));
});

test('anything else is a clear error naming the flag', () => {
  assert.throws(() => parseSince('yesterday', now), /--since: 'yesterday' is neither a duration/);
});
