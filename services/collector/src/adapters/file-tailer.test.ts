import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTailer, type LineBatch } from './file-tailer.ts';

function readAll(tailer: FileTailer): string[] {
  const out: string[] = [];
  let batch: LineBatch | undefined;
  while ((batch = tailer.read(1000))) {
    out.push(...batch.lines.map((l) => l.text));
    tailer.commit(batch.inode, batch.to);
  }
  return out;
}

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'vigil-tail-')), 'app.log');
}

test('follows appends, holding back an incomplete line', () => {
  const path = tempFile();
  writeFileSync(path, 'old line\n');
  const tailer = new FileTailer(path, 1000, undefined, true);
  assert.deepEqual(readAll(tailer), [], 'a file seen first starts at its end');
  appendFileSync(path, 'a\nb\npart');
  assert.deepEqual(readAll(tailer), ['a', 'b']);
  appendFileSync(path, 'ial\n');
  assert.deepEqual(readAll(tailer), ['partial']);
});

test('a file that appears later is read from its start', () => {
  const path = tempFile();
  const tailer = new FileTailer(path, 1000, undefined, true);
  assert.deepEqual(readAll(tailer), []);
  writeFileSync(path, 'first\nsecond\n');
  assert.deepEqual(readAll(tailer), ['first', 'second']);
});

test('rotation by rename: the old file is read to its end, then the new one from its start', () => {
  const path = tempFile();
  writeFileSync(path, '');
  const tailer = new FileTailer(path, 1000, undefined, true);
  appendFileSync(path, '1\n2\n');
  assert.deepEqual(readAll(tailer), ['1', '2']);
  appendFileSync(path, '3\n');
  renameSync(path, `${path}.1`);
  appendFileSync(`${path}.1`, '4\n'); // a writer still holding the old file
  writeFileSync(path, '5\n6\n');
  assert.deepEqual(readAll(tailer), ['3', '4', '5', '6']);
});

test('truncation in place (copytruncate) restarts at the beginning', () => {
  const path = tempFile();
  writeFileSync(path, '');
  const tailer = new FileTailer(path, 1000, undefined, true);
  appendFileSync(path, 'aaaaaaaa\nbbbbbbbb\n');
  assert.deepEqual(readAll(tailer), ['aaaaaaaa', 'bbbbbbbb']);
  truncateSync(path, 0);
  appendFileSync(path, 'c\n');
  assert.deepEqual(readAll(tailer), ['c']);
});

test('a remembered offset resumes where the last run stopped', () => {
  const path = tempFile();
  writeFileSync(path, 'x\ny\n');
  const first = new FileTailer(path, 1000, undefined, false);
  assert.deepEqual(readAll(first), ['x', 'y']);
  const position = first.position();
  first.close();
  appendFileSync(path, 'z\n');
  const second = new FileTailer(path, 1000, position, true);
  assert.deepEqual(readAll(second), ['z']);
});

test('nothing is committed until commit(): an unpublished batch is read again', () => {
  const path = tempFile();
  writeFileSync(path, '');
  const tailer = new FileTailer(path, 1000, undefined, true);
  assert.equal(tailer.read(10), undefined);
  appendFileSync(path, 'once\n');
  assert.deepEqual(tailer.read(10)?.lines.map((l) => l.text), ['once']);
  assert.deepEqual(tailer.read(10)?.lines.map((l) => l.text), ['once']);
});

test('copytruncate: lines not read before the truncation are read from the copy, then the file from its start', () => {
  const path = tempFile();
  writeFileSync(path, '');
  const tailer = new FileTailer(path, 1000, undefined, true);
  appendFileSync(path, 'a1\na2\n');
  assert.deepEqual(readAll(tailer), ['a1', 'a2']);
  appendFileSync(path, 'a3\na4\n'); // written, not yet read
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, 'b1\n');
  assert.deepEqual(readAll(tailer), ['a3', 'a4', 'b1']);
});

test('copytruncate noticed even when the file grew past the old offset again (the bytes before it changed)', () => {
  const path = tempFile();
  writeFileSync(path, '');
  const tailer = new FileTailer(path, 1000, undefined, true);
  appendFileSync(path, 'short\n');
  assert.deepEqual(readAll(tailer), ['short']);
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, 'a much longer line than before\nand another\n');
  assert.deepEqual(readAll(tailer), ['a much longer line than before', 'and another']);
});
