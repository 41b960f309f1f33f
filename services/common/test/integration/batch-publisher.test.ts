import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscardPolicy } from '@nats-io/jetstream';
import { connectBus, createLogger, loadConfig, NatsConfig, type Bus } from '../../src/mod.ts';
import { useTestNats } from '../../src/testing/mod.ts';

let bus: Bus;
const nats = useTestNats({
  started: async (server) => {
    bus = await connectBus(loadConfig(NatsConfig, { document: { url: server.url } }), createLogger({ level: 'silent' }), 'batch-publisher-test');
  },
  stopping: async () => {
    await bus?.nc.close();
  },
});

test('every message of a batch is stored and acknowledged, in order', { skip: nats.skip }, async () => {
  const items = Array.from({ length: 500 }, (_, i) => ({ subject: bus.subjects.raw('pub-a', 'log'), data: `m${i}`, msgId: `pub-a:${i}` }));
  const results = await bus.publisher.publishAll(items);
  assert.equal(results.length, 500);
  assert.ok(results.every((r) => r.ok && !r.duplicate));
  const seqs = results.map((r) => (r.ok ? r.seq : -1));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'acks come back matched to their messages');
  const stored = await bus.jsm.streams.getMessage(bus.streams.raw, { seq: seqs[42] as number });
  assert.equal(stored?.string(), 'm42');
});

test('a message id seen before is reported as a duplicate and not stored again', { skip: nats.skip }, async () => {
  const before = (await bus.jsm.streams.info(bus.streams.raw)).state.messages;
  const results = await bus.publisher.publishAll([
    { subject: bus.subjects.raw('pub-a', 'log'), data: 'again', msgId: 'pub-a:7' },
    { subject: bus.subjects.raw('pub-a', 'log'), data: 'new', msgId: 'pub-a:100000' },
  ]);
  assert.deepEqual(results.map((r) => r.ok && r.duplicate), [true, false]);
  assert.equal((await bus.jsm.streams.info(bus.streams.raw)).state.messages, before + 1);
});

test('a subject no stream takes is a failure of that item only', { skip: nats.skip }, async () => {
  const results = await bus.publisher.publishAll([
    { subject: 'nowhere.at.all', data: 'x' },
    { subject: bus.subjects.raw('pub-b', 'log'), data: 'y', msgId: 'pub-b:0' },
  ]);
  assert.equal(results[0]?.ok, false);
  assert.match(results[0]?.ok === false ? results[0].error.message : '', /no responders/);
  assert.equal(results[1]?.ok, true);
});

test('a stream at its budget with discard new refuses with STREAM_FULL ("maximum bytes exceeded"), a temporary error', { skip: nats.skip }, async () => {
  await bus.jsm.streams.add({ name: 'FULL_TEST', subjects: ['fulltest.>'], max_bytes: 4096, discard: DiscardPolicy.New });
  const results = await bus.publisher.publishAll(Array.from({ length: 20 }, (_, i) => ({ subject: 'fulltest.x', data: 'z'.repeat(500), msgId: `full:${i}` })));
  const refused = results.filter((r) => !r.ok);
  assert.ok(results[0]?.ok, 'the first ones fit');
  assert.ok(refused.length > 0, 'the rest are refused');
  for (const r of refused) {
    assert.ok(!r.ok && r.error.code === 'STREAM_FULL' && r.error.temporary, JSON.stringify(r));
    assert.match(r.error.message, /maximum bytes exceeded/);
  }
  await bus.jsm.streams.delete('FULL_TEST');
});
