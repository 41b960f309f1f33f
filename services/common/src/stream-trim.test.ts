import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consumedPurges, subjectsIntersect } from './stream-trim.ts';

test('subject filters intersect when some subject matches both', () => {
  assert.ok(subjectsIntersect('hids.decoded.>', 'hids.decoded.3.>'));
  assert.ok(subjectsIntersect('hids.decoded.3.>', 'hids.decoded.3.agent1'));
  assert.ok(subjectsIntersect('a.*.x', 'a.y.*'));
  assert.ok(!subjectsIntersect('hids.decoded.3.>', 'hids.decoded.4.>'));
  assert.ok(!subjectsIntersect('a.b', 'a.b.c'));
  assert.ok(!subjectsIntersect('a.>', 'a'));
  assert.ok(subjectsIntersect('a.b', 'a.b'));
});

test('trimming removes on each filter only what every overlapping durable acknowledged', () => {
  // The raw stream: one durable over everything.
  assert.deepEqual(consumedPurges(['hids.raw.>'], [{ filters: ['hids.raw.>'], ackFloor: 120 }]), [{ filter: 'hids.raw.>', seq: 121 }]);
  // The decoded stream: one durable per partition, and the archives durable over all of them.
  const purges = consumedPurges(
    ['hids.decoded.>'],
    [
      { filters: ['hids.decoded.0.>'], ackFloor: 500 },
      { filters: ['hids.decoded.1.>'], ackFloor: 80 },
      { filters: [], ackFloor: 300 }, // no filter: the stream's subjects
    ],
  );
  assert.deepEqual(purges, [
    { filter: 'hids.decoded.0.>', seq: 301 },
    { filter: 'hids.decoded.1.>', seq: 81 },
    { filter: 'hids.decoded.>', seq: 81 },
  ]);
  // A durable that acknowledged nothing holds everything back.
  assert.deepEqual(consumedPurges(['hids.raw.>'], [{ filters: ['hids.raw.>'], ackFloor: 0 }]), []);
});

test('a durable with nothing pending counts as having consumed up to the last sequence read before it', async () => {
  const { consumedUpTo, consumedPurges } = await import('./stream-trim.ts');
  const narrow = { config: { filter_subject: 'hids.raw.*.inventory' }, ack_floor: { stream_seq: 0 }, num_pending: 0, num_ack_pending: 0 } as never;
  const busy = { config: { filter_subject: 'hids.raw.*.inventory' }, ack_floor: { stream_seq: 3 }, num_pending: 2, num_ack_pending: 0 } as never;
  const wide = { filters: ['hids.raw.>'], ackFloor: 90 };
  assert.deepEqual(consumedUpTo(narrow, 100), { filters: ['hids.raw.*.inventory'], ackFloor: 100 });
  assert.deepEqual(consumedPurges(['hids.raw.>'], [wide, consumedUpTo(narrow, 100)]).find((p) => p.filter === 'hids.raw.>'), { filter: 'hids.raw.>', seq: 91 });
  assert.equal(consumedUpTo(busy, 100).ackFloor, 3, 'messages still to deliver hold the floor');
});
