import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiteralAutomaton } from './aho-corasick.ts';

/** Which literals occur, by the automaton. */
function found(a: LiteralAutomaton, subject: string): number[] {
  a.scan(subject);
  const out: number[] = [];
  for (let id = 0; id < a.count; id++) if (a.has(id)) out.push(id);
  return out;
}

/** Which literals occur, naively: ASCII lower case of both sides (other code units unchanged), then indexOf. */
function naive(literals: readonly string[], subject: string): number[] {
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const s = lower(subject);
  const out: number[] = [];
  literals.forEach((lit, id) => {
    if (s.includes(lower(lit))) out.push(id);
  });
  return out;
}

test('finds every literal that occurs, overlapping and nested ones included', () => {
  const literals = ['he', 'she', 'his', 'hers', 'e', 'ushe'];
  const a = LiteralAutomaton.build(literals);
  assert.deepEqual(found(a, 'ushers'), [0, 1, 3, 4, 5]);
  assert.deepEqual(found(a, 'this'), [2]);
  assert.deepEqual(found(a, ''), []);
  assert.deepEqual(found(a, 'xyz'), []);
});

test('compares ASCII case-insensitively, on both sides', () => {
  const a = LiteralAutomaton.build(['HTTP', 'time=', '%ASA-']);
  assert.deepEqual(found(a, 'GET / http/1.1'), [0]);
  assert.deepEqual(found(a, 'TIME=12 %asa-4'), [1, 2]);
  assert.deepEqual(found(a, 'HtTp'), [0]);
});

test('non-ASCII and NUL code units match no literal and restart the search', () => {
  const a = LiteralAutomaton.build(['ab', 'abc']);
  assert.deepEqual(found(a, 'a\u00e9bc'), []);
  assert.deepEqual(found(a, 'a\u0000b'), []);
  // Not folded: only A-Z are.
  assert.deepEqual(found(a, '\u00c1b'), []);
  // A literal after a NUL is found (the prefilter may only let more through).
  assert.deepEqual(found(a, 'x\u0000abc'), [0, 1]);
  assert.deepEqual(found(a, '\u{1f600}ab'), [0]);
});

test('each scan forgets the previous subject', () => {
  const a = LiteralAutomaton.build(['foo', 'bar']);
  assert.deepEqual(found(a, 'foo bar'), [0, 1]);
  assert.deepEqual(found(a, 'bar'), [1]);
  a.scan('nothing');
  assert.equal(a.hasAny(Int32Array.from([0, 1])), false);
  a.scan('xfoo');
  assert.equal(a.hasAny(Int32Array.from([1, 0])), true);
  assert.equal(a.hasAny(Int32Array.from([1])), false);
  assert.equal(a.hasAny(new Int32Array(0)), false);
});

test('duplicate literals, shared prefixes and a literal that is a suffix of another', () => {
  const literals = ['abcd', 'bcd', 'cd', 'abcd', 'abce', 'b'];
  const a = LiteralAutomaton.build(literals);
  assert.deepEqual(found(a, 'xabcdx'), [0, 1, 2, 3, 5]);
  assert.deepEqual(found(a, 'abce'), [4, 5]);
  assert.deepEqual(found(a, 'abcabcd'), [0, 1, 2, 3, 5]);
});

test('refuses what it cannot compare (empty or non-ASCII literals)', () => {
  assert.throws(() => LiteralAutomaton.build(['']));
  assert.throws(() => LiteralAutomaton.build(['caf\u00e9']));
});

test('agrees with a naive search on random literals and subjects', () => {
  // A small alphabet makes overlaps, shared prefixes and failure transitions frequent.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = 'abAB: %\u00e9\u0000';
  const word = (max: number, ascii: boolean) => {
    let s = '';
    const len = 1 + rand(max);
    for (let i = 0; i < len; i++) s += alphabet[rand(ascii ? alphabet.length - 2 : alphabet.length)];
    return s;
  };
  for (let round = 0; round < 200; round++) {
    const literals = Array.from({ length: 1 + rand(12) }, () => word(5, true));
    const a = LiteralAutomaton.build(literals);
    for (let k = 0; k < 20; k++) {
      const subject = word(40, false);
      assert.deepEqual(found(a, subject), naive(literals, subject), `${JSON.stringify(literals)} in ${JSON.stringify(subject)}`);
    }
  }
});
