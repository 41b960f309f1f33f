import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pcre2, startAtRunStarts } from './pcre2.ts';
import { PatternError } from './pattern-error.ts';

const p = (pattern: string) => Pcre2.compile(pattern);

test('PCRE2: captures are groups 1..n; an unset group between set ones is "", unset trailing ones are left out', () => {
  assert.deepEqual(p('(a)(x)?(b)(y)?').exec('ab'), { end: 1, captures: ['a', '', 'b'] });
  assert.deepEqual(p('user (\\w+) from (\\S+)').exec('user bob from 1.2.3.4 x'), { end: 20, captures: ['bob', '1.2.3.4'] });
});

test('PCRE2: from an offset, ^ anchors at the offset as in C (the engine sees the substring)', () => {
  assert.deepEqual(p('^(\\d+)').exec('ab 12', 3), { end: 4, captures: ['12'] });
  assert.equal(p('^(\\d+)').exec('ab 12', 2), null);
});

test('PCRE2 semantics with no options: case-sensitive, . excludes only \\n, $ also before a final newline, ASCII \\s', () => {
  assert.equal(p('abc').test('ABC'), false);
  assert.equal(p('a.c').test('a\rc'), true);
  assert.equal(p('a.c').test('a\nc'), false);
  assert.equal(p('abc$').test('abc\n'), true);
  assert.equal(p('abc$').test('abc\nx'), false);
  assert.equal(p('a\\sb').test('a\u00a0b'), false, 'no Unicode spaces');
  assert.equal(p('\\Aab\\z').test('ab'), true);
});

test('PCRE2 options: (?i), (?s), (?m), (?U) at the start, in the middle and as scoped groups', () => {
  assert.equal(p('(?i)abc').test('ABC'), true);
  assert.equal(p('(?i)[a-c]+').test('ABC'), true);
  assert.equal(p('^(?i)test_x$').test('TEST_X'), true);
  assert.equal(p('a(?i:b)c').test('aBc'), true);
  assert.equal(p('a(?i:b)c').test('aBC'), false);
  assert.equal(p('(?s)a.c').test('a\nc'), true);
  assert.equal(p('(?m)^b$').test('a\nb\nc'), true);
  assert.deepEqual(p('(?U)a(.+)').exec('abc'), { end: 1, captures: ['b'] });
});

test('PCRE2 syntax translated: named groups, \\N{U+..}, \\x{..}, POSIX classes, \\Q..\\E, \\h, ranges after classes', () => {
  assert.deepEqual(p('(?P<user>\\w+)@(?<host>\\w+)').exec('me@box'), { end: 5, captures: ['me', 'box'] });
  assert.equal(p('(*UTF)\\N{U+202E}').test('a\u202Eb'), true);
  assert.equal(p('\\x{41}').test('A'), true);
  assert.equal(p('[[:digit:]]+').test('42'), true);
  assert.equal(p('\\Q.*\\E').test('a.*b'), true);
  assert.equal(p('\\Q.*\\E').test('ab'), false);
  assert.equal(p('a\\hb').test('a\tb'), true);
  assert.equal(p('^[\\w-]+$').test('a-b'), true);
  assert.equal(p('^[\\w-]+$').test('a b'), false);
  assert.equal(p('^[0-7]$').test('-'), false);
});

test('PCRE2 features JavaScript cannot express are refused with a PatternError, never dropped', () => {
  for (const bad of ['a++', 'a*+', '(?>ab)', '(?|(a)|(b))', '(?(1)a|b)', '\\pL', 'a\\Kb', '\\Gx', '(?R)', '(?x) a b']) {
    assert.throws(() => p(bad), PatternError, bad);
  }
});

test('PCRE2 catastrophic-backtracking guard: nested unbounded quantifiers are refused', () => {
  for (const bad of ['(a+)+b', '(\\w*\\s?)*$', '(?:x+y*)+', '((ab)*c)*']) {
    assert.throws(() => p(bad), /catastrophic/, bad);
  }
  assert.doesNotThrow(() => p('(ab)+c'));
  assert.doesNotThrow(() => p('(a{1,3})+'));
});

test('PCRE2: a leading class run starts matches only where the run starts, with the same matches and captures', () => {
  assert.equal(p('[^%]*%FTD-').regex.source.startsWith('(?<![^%])'), true);
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const heads = ['[^%]*', '[a-c]+', 'a*', '\\d+', '[^ ]+'];
  const tails = ['%x', 'b', ' (\\d)', 'c|%', '(a)?b', '$'];
  const chars = 'abc% 1x2';
  for (let k = 0; k < 2000; k++) {
    const src = `${heads[rand(heads.length)]}${tails[rand(tails.length)]}`;
    const plain = new RegExp(src);
    const rewritten = new RegExp(startAtRunStarts(src));
    let s = '';
    for (let i = rand(12); i > 0; i--) s += chars[rand(chars.length)];
    const a = plain.exec(s);
    const b = rewritten.exec(s);
    assert.deepEqual(b === null ? null : [b.index, ...b], a === null ? null : [a.index, ...a], `${src} on ${JSON.stringify(s)}`);
  }
});

test('PCRE2 on long subjects: the linear-time engine gives the same matches and captures as the backtracking one', (t) => {
  const patterns = ['[^%]*%FTD-[0-7]-[^:\\s]+[:\\s](.*)', '(\\S+) from (\\S+)( port (\\d+))?', '(?i)user=(\\w+?)x', '^a(b|c)+$', '\\Aab\\z', '(?U)a(.+)b', 'x(\\d{2,3})'];
  const linearAvailable = Pcre2.compile('a').linear !== undefined;
  if (!linearAvailable) return t.skip('V8 linear-time RegExp engine not available');
  let seed = 5;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const chars = 'abcx%FTD-1: 0\nUSER=from ';
  for (const pattern of patterns) {
    const always = Pcre2.compile(pattern, { linearAbove: 0 });
    const never = Pcre2.compile(pattern, { linearAbove: Number.MAX_SAFE_INTEGER });
    assert.ok(always.linear, `${pattern} runs in linear time`);
    for (let k = 0; k < 400; k++) {
      let s = '';
      for (let i = rand(30); i > 0; i--) s += chars[rand(chars.length)];
      assert.deepEqual(always.exec(s), never.exec(s), `${pattern} on ${JSON.stringify(s)}`);
    }
  }
  assert.equal(Pcre2.compile('(a)\\1').linear, undefined, 'back references need backtracking');
  assert.equal(Pcre2.compile('a(?=b)').linear, undefined, 'lookarounds need backtracking');
});
