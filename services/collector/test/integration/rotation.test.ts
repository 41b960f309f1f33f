import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { rawCount, readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `count` numbered lines of one burst, in a few appends. */
function writeBurst(path: string, tag: string, count: number, written: string[]): void {
  const lines = Array.from({ length: count }, (_, i) => `${tag} line ${i} ${'y'.repeat((i * 7) % 40)}`);
  for (let i = 0; i < lines.length; i += 97) appendFileSync(path, lines.slice(i, i + 97).join('\n') + '\n');
  written.push(...lines);
}

async function expectExactly(h: Awaited<ReturnType<typeof startHarness>>, location: string, written: string[], storedBefore: number): Promise<void> {
  await waitFor(async () => (await rawCount(h.bus)) >= storedBefore + written.length, 30_000, `${written.length} lines stored`);
  await sleep(500); // anything read twice would show up now
  const got = (await readRaw(h.bus)).filter((e) => e.location === location).map((e) => e.log as string);
  assert.equal(got.length, written.length, 'no line duplicated');
  assert.deepEqual([...got].sort(), [...written].sort(), 'no line lost');
}

test('rotation by rename, again and again, mid-write: no line lost, none duplicated', { skip, timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rotate-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const h = await startHarness({ natsUrl: nats.url, dir, agentId: 'agent-rename', collector: { files: [{ path: log }] } });
  const written: string[] = [];
  const storedBefore = await rawCount(h.bus);
  try {
    for (let round = 0; round < 5; round++) {
      writeBurst(log, `r${round}a`, 700, written);
      if (round % 2 === 0) await sleep(30); // sometimes the collector is mid-file, sometimes at its end
      renameSync(log, `${log}.${round}`);
      appendFileSync(`${log}.${round}`, `r${round} late write to the rotated file\n`); // a writer still holding it
      written.push(`r${round} late write to the rotated file`);
      writeBurst(log, `r${round}b`, 300, written);
      await sleep(50);
    }
    await expectExactly(h, log, written, storedBefore);
  } finally {
    await h.stop();
  }
});

test('rotation by copy and truncate (copytruncate), also when the file grows past the old offset: no line lost, none duplicated', { skip, timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-copytrunc-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const h = await startHarness({ natsUrl: nats.url, dir, agentId: 'agent-copytruncate', collector: { files: [{ path: log }] } });
  const written: string[] = [];
  const storedBefore = await rawCount(h.bus);
  try {
    // The collector has read the file once (before that, a truncation cannot be told from a file never read).
    writeBurst(log, 'warm-up', 3, written);
    await waitFor(async () => (await rawCount(h.bus)) === storedBefore + 3, 10_000, 'the warm-up lines stored');
    for (let round = 0; round < 5; round++) {
      // The burst, the copy and the truncation follow each other without a pause: the collector sees the file
      // only after the truncation, and reads the lines it had not read yet from the copy.
      writeBurst(log, `c${round}a`, 600, written);
      // logrotate's copytruncate: copy, then truncate in place; the writer goes on at offset 0.
      copyFileSync(log, `${log}.${round}`);
      truncateSync(log, 0);
      // Even rounds: more is written after the truncation than before it, so the size alone cannot tell.
      writeBurst(log, `c${round}b`, round % 2 === 0 ? 900 : 50, written);
      await sleep(60);
    }
    await expectExactly(h, log, written, storedBefore);
  } finally {
    await h.stop();
  }
});
