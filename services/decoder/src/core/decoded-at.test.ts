import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawEvent } from '@vigil/common';
import { decodeEvent } from './decode-event.ts';

const raw: RawEvent = {
  v: 1, id: 'a1:1', seq: 1, agent: { id: 'a1', name: 'web01' }, kind: 'log', location: '/var/log/x',
  collectedAt: '2026-01-01T00:00:00.000Z', log: 'hello',
};
const decodedAt = (now: Date) => decodeEvent(raw, { partitions: 4, now }).decodedAt;

test('decodedAt is the clock in toISOString form, whatever the sequence of clocks (the minute is cached)', () => {
  const times: number[] = [];
  const base = Date.UTC(2024, 0, 10, 12, 0, 59, 990);
  for (let i = 0; i < 40; i++) times.push(base + i * 3); // crosses a minute
  times.push(0, -1, -59_999, -60_000, -60_001, Date.UTC(1969, 11, 31, 23, 59, 59, 9), Date.UTC(2024, 1, 29, 23, 59, 59, 999));
  times.push(Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1, 0, 0, 1), 8.64e15, -8.64e15);
  times.push(base, base, base + 1, base + 60_000, base + 60_001, base + 7, base + 1000, base + 10_000);
  for (let s = 0; s < 60_000; s += 997) times.push(base + s);
  for (const t of times) {
    assert.equal(decodedAt(new Date(t)), new Date(t).toISOString(), String(t));
    // The same clock in another Date object.
    assert.equal(decodedAt(new Date(t)), new Date(t).toISOString(), String(t));
  }
});

test('decodedAt: an invalid clock throws as toISOString does', () => {
  assert.throws(() => decodedAt(new Date(Number.NaN)), RangeError);
});
