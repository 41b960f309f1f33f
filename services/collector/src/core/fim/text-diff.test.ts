import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textDiff } from './text-diff.ts';

/** Applies a normal-format diff to the old lines, as `patch` would: the test's oracle that a diff is right. */
function applyNormalDiff(before: string[], diff: string): string[] {
  if (diff === '') return [...before];
  const lines = diff.split('\n');
  const out: string[] = [];
  let at = 0; // old lines copied so far
  for (let k = 0; k < lines.length; ) {
    const m = /^(\d+)(?:,(\d+))?([acd])(\d+)(?:,(\d+))?$/.exec(lines[k] as string);
    assert.ok(m, `a hunk header, not '${lines[k]}'`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    const op = m[3];
    k++;
    const keep = op === 'a' ? from : from - 1;
    out.push(...before.slice(at, keep));
    at = keep;
    while (k < lines.length && (lines[k] as string).startsWith('< ')) {
      assert.equal((lines[k] as string).slice(2), before[at], 'a removed line is the old line');
      at++;
      k++;
    }
    if (op !== 'a') assert.equal(at, to, 'the hunk removes its range');
    if (lines[k] === '---') k++;
    while (k < lines.length && (lines[k] as string).startsWith('> ')) out.push((lines[k++] as string).slice(2));
  }
  out.push(...before.slice(at));
  return out;
}

test('text diffs in the normal diff format', () => {
  assert.equal(textDiff('a\nb\nc\n', 'a\nB\nc\n'), '2c2\n< b\n---\n> B');
  assert.equal(textDiff('a\nb\n', 'a\nb\nc\n'), '2a3\n> c');
  assert.equal(textDiff('a\nb\nc\n', 'a\nc\n'), '2d1\n< b');
  assert.equal(textDiff('x\n', 'x\n'), '');
  assert.equal(textDiff('1\n2\n3\n4\n', '1\nX\n3\nY\nZ\n'), '2c2\n< 2\n---\n> X\n4c4,5\n< 4\n---\n> Y\n> Z');
});

test('normal format: additions at the start and end, deletions, changes of several lines', () => {
  assert.equal(textDiff('b\nc\n', 'a\nb\nc\n'), '0a1\n> a');
  assert.equal(textDiff('a\nb\nc\n', 'a\n'), '2,3d1\n< b\n< c');
  assert.equal(textDiff('a\nb\nc\nd\n', 'a\nX\nY\nZ\nd\n'), '2,3c2,4\n< b\n< c\n---\n> X\n> Y\n> Z');
  assert.equal(textDiff('', 'a\nb\n'), '0a1,2\n> a\n> b');
  assert.equal(textDiff('a\nb\n', ''), '1,2d0\n< a\n< b');
  assert.equal(textDiff('a\nb', 'a\nb\n'), '', 'a missing final newline is not a change of lines');
});

test('every diff applied to the old text gives the new one', () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let t = 0; t < 200; t++) {
    const a = Array.from({ length: Math.floor(rnd() * 15) }, () => 'abcde'[Math.floor(rnd() * 5)] as string);
    const b = a.filter(() => rnd() > 0.3).map((x) => (rnd() > 0.8 ? ('xyz'[Math.floor(rnd() * 3)] as string) : x));
    if (rnd() > 0.5) b.splice(Math.floor(rnd() * (b.length + 1)), 0, 'q', 'r');
    const diff = textDiff(a.map((l) => `${l}\n`).join(''), b.map((l) => `${l}\n`).join(''));
    assert.deepEqual(applyNormalDiff(a, diff), b, JSON.stringify({ a, b, diff }));
  }
});

test('a change too large to diff within the budget is one block replacement', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `old ${i}`);
  const b = Array.from({ length: 3000 }, (_, i) => `new ${i}`);
  a.splice(1500, 0, 'common');
  b.splice(1500, 0, 'common');
  const diff = textDiff(`head\n${a.join('\n')}\ntail\n`, `head\n${b.join('\n')}\ntail\n`);
  const lines = diff.split('\n');
  assert.equal(lines[0], '2,3002c2,3002', 'one hunk, the common middle line included');
  assert.equal(lines.length, 1 + 3001 + 1 + 3001);
  assert.deepEqual(applyNormalDiff(['head', ...a, 'tail'], diff), ['head', ...b, 'tail']);
  assert.equal(textDiff('x\n'.repeat(50_000) + 'a\n', 'x\n'.repeat(50_000) + 'b\n'), '50001c50001\n< a\n---\n> b', 'a small change in a big file is diffed');
});
