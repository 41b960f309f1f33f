import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlationKeyOf, keyOf } from './correlation-key.ts';
import { HistoryList, type HistoryEntry } from './history-list.ts';
import type { Correlation } from './rule-types.ts';

function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

function entry(time: number, srcip: string | undefined): HistoryEntry {
  return { time, log: '', fullLog: '', decoderType: 'syslog', location: 'l', fields: srcip === undefined ? {} : { srcip }, matched: 0 };
}

const correlation: Correlation = { sid: '1', needed: 2, timeframe: 30, same: ['srcip'], different: [], sameFields: [], differentFields: [], global: false };

test('cut: the newest entry older than the timeframe, with times going back and forth', () => {
  for (const [seed, backProbability] of [[1, 0], [2, 0.05], [3, 0.5]] as const) {
    const rand = random(seed);
    const list = new HistoryList();
    const mirror: HistoryEntry[] = []; // what the list must hold
    let clock = 1000;
    for (let i = 0; i < 3000; i++) {
      clock += rand() < backProbability ? -Math.floor(rand() * 80) : Math.floor(rand() * 3);
      const e = entry(clock, `ip${Math.floor(rand() * 5)}`);
      list.remember(e, 60, 200);
      mirror.push(e);
      // The pruning rule of Wazuh's lists: the oldest entries before the first recent one, and beyond the limit.
      let drop = 0;
      while (drop < mirror.length - 1 && (mirror[drop] as HistoryEntry).time < e.time - 60) drop++;
      if (mirror.length - drop > 200) drop = mirror.length - 200;
      mirror.splice(0, drop);
      assert.deepEqual(list.entries, mirror);
      const now = clock + Math.floor(rand() * 40) - 10;
      let expected = -1;
      for (let p = mirror.length - 1; p >= 0; p--) {
        if (now - (mirror[p] as HistoryEntry).time > 30) {
          expected = p;
          break;
        }
      }
      // Sequence numbers are positions plus the entries dropped so far (known from the newest entry's).
      const dropped = list.cut(Number.MAX_SAFE_INTEGER, 0) - (mirror.length - 1);
      assert.equal(list.cut(now, 30), dropped + expected, `seed ${seed} step ${i}`);
    }
  }
});

test('bucket: the entries of a key, in order, as the list keeps them', () => {
  const rand = random(7);
  const list = new HistoryList();
  const key = correlationKeyOf(correlation);
  assert.ok(key);
  for (let i = 0; i < 5000; i++) {
    list.remember(entry(i, rand() < 0.1 ? undefined : `ip${Math.floor(rand() * 4)}`), 1e9, 300);
    if (i < 100) continue; // the index is built on the first search, from what the list holds then
    for (const ip of ['ip0', 'ip1', 'ip2', 'ip3']) {
      const b = list.bucket(key, ip);
      const want = list.entries.filter((e) => e.fields['srcip'] === ip);
      assert.deepEqual(b?.entries.slice(b.head) ?? [], want, `step ${i} ${ip}`);
    }
  }
});

test('keys: equal values give equal keys; a missing value gives none', () => {
  const k = correlationKeyOf({ ...correlation, same: ['srcip', 'location'], sameFields: ['App'] });
  assert.ok(k);
  const src = (fields: Record<string, unknown>, location = 'l') => ({ fields: fields as Record<string, string>, location, decoderType: 'syslog' });
  assert.equal(keyOf(k, src({ srcip: '1', app: 'x' })), keyOf(k, src({ srcip: '1', APP: 'x' })), 'same_field names compare case-insensitively');
  assert.notEqual(keyOf(k, src({ srcip: '1', app: 'x' })), keyOf(k, src({ srcip: '1', app: 'x' }, 'm')));
  assert.notEqual(keyOf(k, src({ srcip: '1', app: 5 })), keyOf(k, src({ srcip: '1', app: '5' })), 'a number is not its string');
  assert.equal(keyOf(k, src({ srcip: '1' })), undefined);
  assert.equal(correlationKeyOf({ ...correlation, same: [] }), undefined, 'nothing to index by');
  assert.ok(correlationKeyOf({ ...correlation, sid: undefined, same: [] }), 'the regex search is keyed by decoder type');
});
