import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupMultiline } from './multiline-records.ts';

const lines = (...texts: string[]) => {
  let offset = 0;
  return texts.map((text) => ({ text, endOffset: (offset += text.length + 1), truncated: false }));
};

test('records start at lines matching the pattern; the last one waits for more unless flushed', () => {
  const input = lines('2024-01-01 ERROR boom', '  at a()', '  at b()', '2024-01-01 INFO ok', '  detail');
  const held = groupMultiline(input, /^\d{4}-/, false);
  assert.deepEqual(held.records, [{ text: '2024-01-01 ERROR boom\n  at a()\n  at b()', endOffset: 40, truncated: false }]);
  assert.equal(held.pendingFrom, 1);
  const flushed = groupMultiline(input, /^\d{4}-/, true);
  assert.deepEqual(flushed.records.map((r) => r.text), ['2024-01-01 ERROR boom\n  at a()\n  at b()', '2024-01-01 INFO ok\n  detail']);
  assert.equal(flushed.pendingFrom, undefined);
});
