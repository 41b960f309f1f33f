import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { Value } from '@sinclair/typebox/value';
import { FimConfig } from '../fim-config.ts';
import { SpoolStore } from '../adapters/spool-store.ts';
import { FimSource, NODIFF_TEXT } from './fim-source.ts';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const logger = createLogger({ level: 'silent' });
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

type Syscheck = Record<string, unknown> & { path: string; event: string };

async function setup(mode: 'scheduled' | 'realtime', extra: Record<string, unknown> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'vigil-fim-'));
  const watched = join(root, 'watched');
  mkdirSync(join(watched, 'sub'), { recursive: true });
  writeFileSync(join(watched, 'existing.txt'), 'existing\n');
  const config = Value.Default(FimConfig, {
    enabled: true,
    directories: [{ path: watched, realtime: mode === 'realtime', reportChanges: true, tags: ['test'] }],
    replaceDefaults: true,
    ignore: [join(watched, 'ignored')],
    ignorePatterns: ['\\.tmp$'],
    nodiff: [join(watched, 'secret.txt')],
    realtimeDelayMs: 50,
    ...extra,
  }) as FimConfig;
  const spool = new SpoolStore(join(root, 'state', 'spool.db'), { id: 'a1', name: 'h1' }, 1 << 30);
  const fim = new FimSource({ config, dbPath: join(root, 'state', 'fim.db'), spool, logger });
  await fim.start();
  cleanups.push(async () => {
    await fim.stop();
    spool.close();
    rmSync(root, { recursive: true, force: true });
  });
  let seen = -1;
  /** Events spooled since the last call (after a scheduled scan, or waiting up to 2 s in realtime mode). */
  const next = async (expected: number): Promise<Syscheck[]> => {
    if (mode === 'scheduled') await fim.scanNow();
    else await waitFor(() => spool.peek(1000, seen).length >= expected || undefined, 2000, `${expected} realtime event(s) within 2 s`);
    if (mode === 'realtime') await new Promise((r) => setTimeout(r, 150)); // nothing more should come
    const events = spool.peek(1000, seen);
    if (events.length > 0) seen = (events[events.length - 1] as { seq: number }).seq;
    return events.map((e) => {
      const raw = JSON.parse(e.data) as { kind: string; location: string; payload: { syscheck: Syscheck; full_log: string } };
      assert.equal(raw.kind, 'fim');
      assert.equal(raw.location, 'syscheck');
      return raw.payload.syscheck;
    });
  };
  return { watched, fim, spool, next };
}

for (const mode of ['scheduled', 'realtime'] as const) {
  test(`${mode}: create, modify, chmod, chown, rename and delete each give the right event with before/after values`, async () => {
    const { watched, next, fim } = await setup(mode);
    assert.deepEqual(await next(0), [], 'the first scan only records the baseline');
    if (mode === 'realtime') assert.ok(fim.watchedDirectories() >= 2);

    const file = join(watched, 'sub', 'app.conf');
    writeFileSync(file, 'one\n');
    chmodSync(file, 0o644);
    const st = statSync(file);
    const [added, ...moreAdded] = await next(1);
    assert.deepEqual(moreAdded, []);
    assert.equal(added?.event, 'added');
    assert.equal(added?.path, file);
    assert.equal(added?.mode, mode);
    assert.equal(added?.size_after, '4');
    assert.equal(added?.perm_after, 'rw-r--r--');
    assert.equal(added?.uid_after, String(st.uid));
    assert.equal(added?.inode_after, st.ino);
    assert.equal(added?.md5_after, md5('one\n'));
    assert.equal(added?.sha256_after, sha256('one\n'));
    assert.deepEqual(added?.tags, ['test']);
    assert.equal(added?.size_before, undefined);

    writeFileSync(file, 'one\ntwo\n');
    const [modified] = await next(1);
    assert.equal(modified?.event, 'modified');
    assert.equal(modified?.size_before, '4');
    assert.equal(modified?.size_after, '8');
    assert.equal(modified?.md5_before, md5('one\n'));
    assert.equal(modified?.md5_after, md5('one\ntwo\n'));
    assert.ok((modified?.changed_attributes as string[]).includes('size'));
    assert.ok((modified?.changed_attributes as string[]).includes('sha1'));
    assert.equal(modified?.diff, '1a2\n> two', 'report_changes');

    chmodSync(file, 0o600);
    const [chmodded] = await next(1);
    assert.equal(chmodded?.event, 'modified');
    assert.deepEqual(chmodded?.changed_attributes, ['permission']);
    assert.equal(chmodded?.perm_before, 'rw-r--r--');
    assert.equal(chmodded?.perm_after, 'rw-------');

    if (isRoot) {
      chownSync(file, 1, 1);
      const [chowned] = await next(1);
      assert.deepEqual(chowned?.changed_attributes, ['uid', 'user_name', 'gid', 'group_name']);
      assert.equal(chowned?.uid_before, String(st.uid));
      assert.equal(chowned?.uid_after, '1');
      assert.equal(chowned?.gid_after, '1');
      assert.equal(chowned?.uname_after, 'daemon');
      assert.equal(chowned?.uname_before, 'root');
    } else process.stdout.write('# chown skipped: not root\n');

    const moved = join(watched, 'moved.conf');
    renameSync(file, moved);
    const renamed = await next(2);
    assert.deepEqual(renamed.map((e) => [e.event, e.path]).sort(), [['added', moved], ['deleted', file]]);
    const deletedOld = renamed.find((e) => e.event === 'deleted');
    assert.equal(deletedOld?.md5_after, md5('one\ntwo\n'), 'a deleted file carries its last known state');

    unlinkSync(moved);
    const [deleted] = await next(1);
    assert.equal(deleted?.event, 'deleted');
    assert.equal(deleted?.path, moved);
    assert.equal(deleted?.size_after, '8');
  });

  test(`${mode}: ignored paths and patterns produce nothing; nodiff paths are never diffed`, async () => {
    const { watched, next } = await setup(mode);
    await next(0);
    mkdirSync(join(watched, 'ignored'));
    writeFileSync(join(watched, 'ignored', 'x.conf'), 'x');
    writeFileSync(join(watched, 'edit.tmp'), 'x');
    writeFileSync(join(watched, 'secret.txt'), 'password=1\n');
    const [secretAdded, ...rest] = await next(1);
    assert.deepEqual(rest, [], 'only the one monitored file');
    assert.equal(secretAdded?.path, join(watched, 'secret.txt'));
    writeFileSync(join(watched, 'secret.txt'), 'password=2\n');
    const [secretChanged] = await next(1);
    assert.equal(secretChanged?.diff, NODIFF_TEXT);
  });
}

test('a monitored directory that vanishes: its files are deleted, and the vanishing is reported once', async () => {
  const { watched, next, spool, fim } = await setup('scheduled', {});
  await next(0);
  const before = spool.peekNextSeq();
  rmSync(watched, { recursive: true });
  await fim.scanNow();
  await fim.scanNow();
  const events = spool.peek(100, before - 1).map((e) => JSON.parse(e.data) as { kind: string; log?: string; payload: { syscheck?: Syscheck } });
  assert.deepEqual(
    events.map((e) => (e.kind === 'fim' ? `${e.payload.syscheck?.event} ${e.payload.syscheck?.path}` : e.log)),
    [`vigil-collector: directory_vanished: '${watched}': a monitored directory does not exist`, `deleted ${join(watched, 'existing.txt')}`],
  );
});

test('directories over the recursion level and files outside restrict are not monitored', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-fim-r-'));
  mkdirSync(join(root, 'lvl1', 'lvl2'), { recursive: true });
  const spool = new SpoolStore(join(root, 'spool.db'), { id: 'a1', name: 'h1' }, 1 << 30);
  const config = Value.Default(FimConfig, {
    enabled: true,
    directories: [{ path: root, recursionLevel: 1, restrict: '\\.conf$' }],
    replaceDefaults: true,
    ignore: [join(root, 'spool.db'), join(root, 'fim.db')],
    ignorePatterns: ['\\.db(-wal|-shm)?$'],
  }) as FimConfig;
  const fim = new FimSource({ config, dbPath: join(root, 'fim.db'), spool, logger });
  await fim.start();
  try {
    writeFileSync(join(root, 'top.conf'), '1');
    writeFileSync(join(root, 'top.txt'), '1');
    writeFileSync(join(root, 'lvl1', 'one.conf'), '1');
    writeFileSync(join(root, 'lvl1', 'lvl2', 'two.conf'), '1');
    await fim.scanNow();
    const firstScan = spool.peek(100);
    const paths = firstScan.map((e) => (JSON.parse(e.data) as { payload: { syscheck: { path: string } } }).payload.syscheck.path).sort();
    assert.deepEqual(paths, [join(root, 'lvl1', 'one.conf'), join(root, 'top.conf')]);
    rmSync(join(root, 'lvl1'), { recursive: true });
    await fim.scanNow();
    const after = spool.peek(100, firstScan[firstScan.length - 1]?.seq ?? 0).map((e) => (JSON.parse(e.data) as { payload: { syscheck: { path: string; event: string } } }).payload.syscheck);
    assert.deepEqual(after.map((s) => [s.event, s.path]), [['deleted', join(root, 'lvl1', 'one.conf')]]);
  } finally {
    await fim.stop();
    spool.close();
    rmSync(root, { recursive: true, force: true });
  }
});
