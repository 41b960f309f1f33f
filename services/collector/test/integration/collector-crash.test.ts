import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, NatsConfig } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { spawnVigil, stopChild, testConfigDocument, writeConfigFile } from '../../../cli/test/harness.ts';
import { rawCount, readRaw } from './collector-harness.ts';

const nats = useTestNats();
const skip = nats.skip;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kill -9 of the collector while it reads and sends: after a restart every line is in HIDS_RAW exactly once', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-collector-crash-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [log] });
  const env = { VIGIL_CONFIG: writeConfigFile(dir, document), NATS_URL: nats.url };
  const bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url } }), createLogger({ level: 'silent' }), 'crash-test');
  let collector = spawnVigil(['collector'], env);
  const written: string[] = [];
  const burst = (tag: string, n: number) => {
    const lines = Array.from({ length: n }, (_, i) => `${tag} ${i}`);
    appendFileSync(log, lines.join('\n') + '\n');
    written.push(...lines);
  };
  try {
    // Wait until it follows the file (a line written before that would be skipped: startAt end).
    await waitFor(async () => {
      appendFileSync(log, 'probe\n');
      await sleep(200);
      return (await rawCount(bus)) > 0;
    }, 60_000, 'the collector started');
    await sleep(300);
    const probes = await rawCount(bus); // probes written before it followed the file are not read (startAt: end)
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) burst(`r${round}b${i}`, 500);
      await sleep(round * 40); // the kill lands at a different point of the read/spool/send cycle each round
      await stopChild(collector, 'SIGKILL');
      burst(`r${round}-while-down`, 300);
      collector = spawnVigil(['collector'], env);
    }
    await waitFor(async () => (await rawCount(bus)) >= probes + written.length, 60_000, `${written.length} lines stored`).catch(async (err) => {
      const got = new Set((await readRaw(bus)).map((e) => e.log));
      const missing = written.filter((l) => !got.has(l));
      process.stderr.write(`stored ${got.size}, missing ${missing.length}: ${missing.slice(0, 5).join(' | ')} ... ${missing.slice(-3).join(' | ')}\n`);
      throw err;
    });
    await sleep(1500);
    const all = await readRaw(bus);
    const events = all.filter((e) => e.log !== 'probe');
    assert.equal(all.length - events.length, probes);
    const logs = events.map((e) => e.log as string);
    assert.equal(logs.length, written.length, 'nothing stored twice');
    assert.deepEqual([...logs].sort(), [...written].sort(), 'nothing lost');
    assert.equal(new Set(all.map((e) => e.seq)).size, all.length, 'sequence numbers unique');
  } catch (err) {
    process.stderr.write(`--- collector output ---\n${collector.output()}\n`);
    throw err;
  } finally {
    await stopChild(collector);
    await bus.nc.close();
  }
});
