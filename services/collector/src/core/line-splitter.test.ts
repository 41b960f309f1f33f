import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from './line-splitter.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

test('complete lines are cut, an incomplete tail is left for later', () => {
  const r = splitLines(bytes('one\ntwo\r\nthr'), 100, 1000);
  assert.deepEqual(r.lines, [
    { text: 'one', endOffset: 104, truncated: false },
    { text: 'two', endOffset: 109, truncated: false },
  ]);
  assert.equal(r.consumedTo, 109);
});

test('empty lines are consumed but not emitted', () => {
  const r = splitLines(bytes('\n\na\n'), 0, 1000);
  assert.deepEqual(r.lines.map((l) => l.text), ['a']);
  assert.equal(r.consumedTo, 4);
});

test('a line longer than the maximum is cut and flagged, never dropped', () => {
  const long = 'x'.repeat(50);
  const r = splitLines(bytes(`${long}\nshort\n`), 0, 10);
  assert.deepEqual(r.lines, [
    { text: 'x'.repeat(10), endOffset: 51, truncated: true },
    { text: 'short', endOffset: 57, truncated: false },
  ]);
});

test('an over-long incomplete line is emitted cut, and its tail skipped on the next read', () => {
  const first = splitLines(bytes('y'.repeat(30)), 0, 10);
  assert.deepEqual(first.lines, [{ text: 'y'.repeat(10), endOffset: 30, truncated: true }]);
  assert.equal(first.skipping, true);
  const second = splitLines(bytes('yyyy\nnext\n'), 30, 10, first.skipping);
  assert.deepEqual(second.lines.map((l) => l.text), ['next']);
  assert.equal(second.skipping, false);
});

test('invalid UTF-8 becomes replacement characters, the line is kept', () => {
  const r = splitLines(new Uint8Array([0x61, 0xff, 0x62, 0x0a]), 0, 100);
  assert.equal(r.lines[0]?.text, 'a\ufffdb');
});
