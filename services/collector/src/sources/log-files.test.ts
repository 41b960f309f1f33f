import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type RawEvent } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import type { LogFileConfig } from '../config.ts';
import { SpoolStore } from '../adapters/spool-store.ts';
import { LogFilesSource } from './log-files.ts';

const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function follow(files: Array<Partial<LogFileConfig> & { path: string }>, dir: string) {
  const spool = new SpoolStore(join(dir, 'state', 'spool.db'), { id: 'a1', name: 'h1' }, 1 << 30);
  const source = new LogFilesSource({
    files: files.map((f) => ({ startAt: 'beginning', format: 'syslog', multilineTimeoutMs: 200, ...f }) as LogFileConfig),
    hostLogPaths: [],
    spool,
    logger,
    maxLineBytes: 1024,
    batchLines: 1000,
    pollIntervalMs: 20,
    globRefreshMs: 100,
  });
  await source.start();
  cleanups.push(async () => {
    await source.stop();
    spool.close();
  });
  const events = () => spool.peek(10_000).map((e) => JSON.parse(e.data) as RawEvent);
  return { source, spool, events };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logs-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a glob follows the files it matches, and files that appear later from their start', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'a.log'), 'a1\n');
  writeFileSync(join(dir, 'logs', 'skip.txt'), 'no\n');
  const { events, source } = await follow([{ path: join(dir, 'logs', '*.log') }], dir);
  writeFileSync(join(dir, 'logs', 'b.log'), 'b1\nb2\n');
  await waitFor(() => events().length === 3 || undefined, 3000, 'three lines');
  assert.deepEqual(events().map((e) => [e.location, e.log]).sort(), [
    [join(dir, 'logs', 'a.log'), 'a1'],
    [join(dir, 'logs', 'b.log'), 'b1'],
    [join(dir, 'logs', 'b.log'), 'b2'],
  ]);
  assert.deepEqual(source.describe().sort(), [join(dir, 'logs', 'a.log'), join(dir, 'logs', 'b.log')]);
});

test('multi-line records by a start pattern; the last one is sent after the timeout', async () => {
  const dir = tempDir();
  const path = join(dir, 'java.log');
  writeFileSync(path, '');
  const { events } = await follow([{ path, format: 'multi-line-regex', multilineStart: '^\\d{4}-\\d\\d-\\d\\d ' }], dir);
  appendFileSync(path, '2026-01-01 ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)\n2026-01-01 INFO next\n');
  await waitFor(() => events().length === 1 || undefined, 2000, 'the first record');
  assert.equal(events()[0]?.log, '2026-01-01 ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)');
  appendFileSync(path, '  continued\n');
  await waitFor(() => events().length === 2 || undefined, 3000, 'the last record, after the timeout');
  assert.equal(events()[1]?.log, '2026-01-01 INFO next\n  continued');
});

test('JSON lines pass as they are; a line that is not JSON is still sent and reported', async () => {
  const dir = tempDir();
  const path = join(dir, 'events.json');
  writeFileSync(path, '{"a":1}\nnot json\n');
  const { events } = await follow([{ path, format: 'json' }], dir);
  await waitFor(() => events().length === 3 || undefined, 2000, 'two lines and a notice');
  assert.deepEqual(events().map((e) => e.log), ['{"a":1}', 'not json', `vigil-collector: invalid_json: '${path}': 1 line(s) are not JSON objects (sent as plain lines)`]);
});

test('unreadable files, binary content and vanished directories are reported as events and never stop the collector', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'gone'));
  const inGone = join(dir, 'gone', 'app.log');
  writeFileSync(inGone, '');
  const notAFile = join(dir, 'a-directory');
  mkdirSync(notAFile);
  const binary = join(dir, 'binary.log');
  writeFileSync(binary, 'text before\n\u0000\u0001\u0002binary\nafter\n');
  const good = join(dir, 'good.log');
  writeFileSync(good, '');
  const { events } = await follow([{ path: inGone }, { path: notAFile }, { path: binary }, { path: good }], dir);
  rmSync(join(dir, 'gone'), { recursive: true });
  appendFileSync(good, 'still collecting\n');
  await waitFor(() => events().some((e) => e.log?.includes('directory_vanished')) || undefined, 3000, 'the vanished directory reported');
  const logs = events().map((e) => e.log as string);
  assert.ok(logs.includes('still collecting'));
  assert.ok(logs.includes('text before') && logs.includes('after') && !logs.some((l) => l.includes('binary\u0000') || l.includes('\u0001')));
  assert.ok(logs.includes(`vigil-collector: binary_content: '${binary}': 1 line(s) with NUL bytes not sent`));
  assert.ok(logs.some((l) => l.startsWith(`vigil-collector: file_unreadable: '${notAFile}'`)), 'a path that cannot be read as a file');
  assert.ok(logs.includes(`vigil-collector: directory_vanished: '${join(dir, 'gone')}': the directory of followed log files no longer exists`));
  const notice = events().find((e) => e.log?.includes('directory_vanished'));
  assert.deepEqual(notice?.payload, { collector: { type: 'directory_vanished', subject: join(dir, 'gone'), reason: 'the directory of followed log files no longer exists' } });
  assert.equal(logs.filter((l) => l.includes('file_unreadable')).length, 1, 'reported once, not at every poll');
});
