import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrefilter } from './pcre2-prefilter.ts';
import { Pcre2 } from './pcre2.ts';
import { translatePcre2 } from './pcre2-translate.ts';

const prefilterOf = (pattern: string) => buildPrefilter(translatePcre2(pattern, { linear: true }).source);

test('PCRE2 prefilter: a missing required run rules a match out; present runs leave the answer to the engine', () => {
  const f = prefilterOf('[^%]*%FTD-[0-7]-[^:\\s]+[:\\s].*');
  assert.ok(f);
  assert.equal(f.mayMatch('Jan 1 host: %ASA-4-1: x', 0), false);
  assert.equal(f.mayMatch('x %FTD-4-106023: Deny', 0), true);
  assert.equal(f.mayMatch('x %FTD-9-106023: Deny', 0), false, 'the class after the literal is part of the run');
  // Runs must occur in order, and each one from where the subject starts for the engine.
  const g = prefilterOf('user (\\S+) from \\d+');
  assert.ok(g);
  assert.equal(g.mayMatch('from 1 user bob', 0), false);
  assert.equal(g.mayMatch('user bob from 1', 0), true);
  assert.equal(g.mayMatch('user bob from 1', 1), false);
});

test('PCRE2 prefilter: ^ makes the first run sticky; alternatives are ORed; an alternative requiring nothing disables it', () => {
  const f = prefilterOf('^\\d+/\\d+ INFO|^\\d+/\\d+ WARN');
  assert.ok(f);
  assert.equal(f.mayMatch('x 1/2 INFO', 0), false);
  assert.equal(f.mayMatch('x 1/2 INFO', 2), true);
  assert.equal(f.mayMatch('1/2 WARN', 0), true);
  assert.equal(prefilterOf('abc|x*'), undefined);
  assert.equal(prefilterOf('(abc)'), undefined);
  assert.equal(prefilterOf('.*'), undefined);
});

test('PCRE2 prefilter: a quantified item shares its character with the runs on both sides (a single repetition)', () => {
  const f = prefilterOf('a\\d+b');
  assert.ok(f);
  assert.equal(f.mayMatch('a1b', 0), true);
  assert.equal(f.mayMatch('a1', 0), false);
  const g = prefilterOf('x[a-f0-9]{4}-[a-f0-9]{2,}y');
  assert.ok(g);
  assert.equal(g.mayMatch('xabcd-eey', 0), true);
});

/** A deterministic pseudo-random generator, for reproducible subjects. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('PCRE2 prefilter never changes a result: the linear engine with it, the backtracking engine without', () => {
  const patterns = [
    '\\s\\d+:\\d+:\\d+\\s\\w+:\\s\\S+\\s\\d+.\\d+.\\d+.\\d+',
    '\\s\\d+:\\d+:\\d+\\s\\w+:\\s\\S+\\s\\(\\S+\\)\\s+\\d+.\\d+.\\d+.\\d+',
    '[^%]*%FTD-[0-7]-[^:\\s]+[:\\s].*',
    '^\\d+\\/\\d+\\/\\d+\\s\\d+:\\d+:\\d+\\sINFO:\\s\\w+|^\\d+\\/\\d+\\sWARN:\\s\\w+',
    '-[a-f0-9]{4}-[a-f0-9]{2}-[a-f0-9]{1,3},.*,Ecp,',
    '(?i)ab+c\\s(\\w+)=(\\d*)',
    'a(?i:b)c\\d?d',
    '[\\]\\-a]+x\\.y\\b\\w+$',
    '\\Q(a)\\E\\d+?b|c{2}d',
    '^(\\d+) (\\S+) (\\S+)$',
    'a.b\\x41\\t\\d{3}',
    '(?s)a.+?b:c',
  ];
  const alphabet = 'aAbBcCdxy.-:%()=,]1234509 \t\nFTDINFOWARNEcp';
  const next = rng(42);
  for (const pattern of patterns) {
    const linear = Pcre2.compile(pattern, { linearAbove: 0 });
    const backtracking = Pcre2.compile(pattern, { linearAbove: Number.MAX_SAFE_INTEGER });
    assert.ok(linear.linear, pattern);
    for (let n = 0; n < 400; n++) {
      const len = 1 + Math.floor(next() * 40);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      // Plant pieces of the pattern's literals, so that matches happen too.
      if (n % 2 === 0) s = s.slice(0, len >> 1) + ['%FTD-4-1: ', ' 12:34:56 sshd: x 1.2.3.4', '1/2/3 4:5:6 INFO: ab', '-abcd-ef-1,x,Ecp,', 'abbc x=12', 'aBc1d', '(a)12b', '12 ab cd', 'a.bA\t123', 'a\nzb:c'][n % 10] + s.slice(len >> 1);
      const from = n % 3 === 0 ? Math.floor(next() * s.length) : 0;
      assert.deepEqual(linear.exec(s, from), backtracking.exec(s, from), `${pattern} on ${JSON.stringify(s)} from ${from}`);
    }
  }
});
