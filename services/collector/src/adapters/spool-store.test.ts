import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type RawEvent } from '@vigil/common';
import { SpoolStore } from './spool-store.ts';
import { StateStore } from './state-store.ts';
import { migrateLegacyState } from './legacy-state.ts';

const agent = { id: 'a1', name: 'h1' };
const at = () => new Date('2026-11-28T10:00:00.000Z');
const dbIn = (dir: string) => join(dir, 'spool.db');
const parse = (data: string) => JSON.parse(data) as RawEvent;

test('events get consecutive sequence numbers and ids, survive a reopen, and leave only once acknowledged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-spool-'));
  const before = Date.now() * 1000;
  const spool = new SpoolStore(dbIn(dir), agent, 1 << 20, at);
  const base = spool.peekNextSeq();
  assert.ok(base >= before, 'a new spool starts at the current time in microseconds, so ids never repeat after a lost state');
  assert.equal(spool.append([{ kind: 'log', location: '/x', log: 'one' }, { kind: 'fim', location: 'syscheck', payload: { syscheck: {} } }], { 'file:/x': { inode: 1, offset: 4 } }), base);
  assert.equal(spool.append([{ kind: 'log', location: '/x', log: 'three', truncated: true }]), base + 2);
  const first = spool.peek(2);
  assert.deepEqual(first.map((e) => [e.seq, e.id, e.kind]), [[base, `a1:${base}`, 'log'], [base + 1, `a1:${base + 1}`, 'fim']]);
  assert.deepEqual(parse(first[0]?.data ?? ''), { v: 1, id: `a1:${base}`, seq: base, agent, kind: 'log', location: '/x', collectedAt: '2026-11-28T10:00:00.000Z', log: 'one' });
  spool.ack(first);
  spool.close();

  const reopened = new SpoolStore(dbIn(dir), agent, 1 << 20, at);
  assert.deepEqual(reopened.peek(10).map((e) => parse(e.data).log), ['three']);
  assert.equal(parse(reopened.peek(1)[0]?.data ?? '').truncated, true);
  assert.deepEqual(reopened.checkpoint('file:/x'), { inode: 1, offset: 4 });
  assert.equal(reopened.peekNextSeq(), base + 3, 'sequence numbers are never reused');
  reopened.ack(reopened.peek(10));
  reopened.close();
  const empty = new SpoolStore(dbIn(dir), agent, 1 << 20, at);
  assert.equal(empty.peekNextSeq(), base + 3, 'even when the spool is empty');
  assert.deepEqual(empty.depth(), { events: 0, bytes: 0 });
  empty.close();
});

test('the byte bound tells sources to wait; nothing is refused', () => {
  const spool = new SpoolStore(dbIn(mkdtempSync(join(tmpdir(), 'vigil-spool-'))), agent, 1024, at);
  assert.equal(spool.hasRoom(), true);
  spool.append(Array.from({ length: 10 }, (_, i) => ({ kind: 'log' as const, location: '/x', log: `line ${i} ${'x'.repeat(100)}` })));
  assert.equal(spool.hasRoom(), false);
  assert.equal(spool.depth().events, 10);
  spool.ack(spool.peek(10));
  assert.equal(spool.hasRoom(), true);
  spool.close();
});

test("the walking skeleton's JSON state moves into the spool: offsets, next sequence, and the in-flight batch under its ids", () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-migrate-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, 'a\nb\nc\n');
  new StateStore(dir, 'a1').save({ version: 1, nextSeq: 42, files: { '/other.log': { inode: 7, offset: 99 } }, inflight: { path: log, inode: 5, from: 2, to: 6, firstSeq: 40 } });
  const spool = new SpoolStore(dbIn(dir), agent, 1 << 20, at);
  migrateLegacyState(dir, 'a1', spool, 1000, createLogger({ level: 'silent' }));
  assert.deepEqual(spool.peek(10).map((e) => [e.id, parse(e.data).log]), [['a1:40', 'b'], ['a1:41', 'c']]);
  assert.ok(spool.peekNextSeq() >= 42, 'the next sequence never goes below what the old state had given out');
  assert.deepEqual(spool.checkpoint('file:/other.log'), { inode: 7, offset: 99 });
  assert.deepEqual(spool.checkpoint(`file:${log}`), { inode: 5, offset: 6 });
  migrateLegacyState(dir, 'a1', spool, 1000, createLogger({ level: 'silent' }));
  assert.equal(spool.depth().events, 2, 'migrated once');
  spool.close();
});
