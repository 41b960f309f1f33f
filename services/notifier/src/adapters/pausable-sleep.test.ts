import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSleeper } from './pausable-sleep.ts';

test('a wakeable sleep ends on wake(); a plain one only on its timer; cancel() ends all and every later sleep', async () => {
  const s = createSleeper();
  const started = Date.now();
  const wakeable = s.sleep(undefined, true);
  const plain = s.sleep(80, false);
  s.wake();
  assert.equal(await wakeable, true);
  assert.ok(Date.now() - started < 50);
  assert.equal(await plain, true);
  assert.ok(Date.now() - started >= 75);
  const long = s.sleep(10_000, false);
  s.cancel();
  assert.equal(await long, false);
  assert.equal(await s.sleep(10_000, true), false);
  assert.equal(s.cancelled, true);
});
