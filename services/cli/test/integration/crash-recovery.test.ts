import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { countAlerts, sshdLine, spawnVigil, stopChild, testConfigDocument, writeConfigFile } from '../harness.ts';

const nats = useTestNats();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kill -9 of the decoder and of the indexer mid-stream, then restart: every alert is indexed exactly once', { skip: nats.skip, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  const watched = join(dir, 'auth.log');
  writeFileSync(watched, '');
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [watched] });
  (document['nats'] as Record<string, unknown>)['consumers'] = { ackWaitSeconds: 2, retryDelayMs: 200, batchSize: 100 };
  const env = { VIGIL_CONFIG: writeConfigFile(dir, document), NATS_URL: nats.url };
  const procs = {
    indexer: spawnVigil(['indexer'], env),
    ruleEngine: spawnVigil(['rule-engine'], env),
    decoder: spawnVigil(['decoder'], env),
    collector: spawnVigil(['collector'], env),
  };
  const dbPath = join(dir, 'data', 'vigil.db');
  try {
    const count = () => countAlerts(dbPath);
    // The services take a moment to start: write a warm-up line now and then until one makes it all the way.
    let lastWarmup = 0;
    await waitFor(() => {
      if (count() > 0) return true;
      if (Date.now() - lastWarmup > 500) {
        appendFileSync(watched, sshdLine('Failed password for warmup from 10.9.9.9 port 1 ssh2') + '\n');
        lastWarmup = Date.now();
      }
      return false;
    }, 60_000, 'the first alert (services started)');
    await sleep(1000); // warm-up lines still in flight

    const warm = count();

    const total = 3000;
    let written = 0;
    const writeSome = (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n && written < total; i++, written++) {
        lines.push(sshdLine(`Failed password for user${written} from 10.0.${written % 250}.1 port ${written} ssh2`));
      }
      appendFileSync(watched, lines.join('\n') + '\n');
    };
    writeSome(600);
    await sleep(150);
    await stopChild(procs.decoder, 'SIGKILL');
    writeSome(600);
    procs.decoder = spawnVigil(['decoder'], env);
    writeSome(600);
    await waitFor(() => count() > warm + 200, 60_000, 'alerts flowing again');
    await stopChild(procs.indexer, 'SIGKILL');
    writeSome(600);
    procs.indexer = spawnVigil(['indexer'], env);
    writeSome(600);
    assert.equal(written, total);

    const userAlerts = () => countAlerts(dbPath, "json_extract(json, '$.full_log') LIKE '%for user%'");
    await waitFor(() => userAlerts() >= total, 120_000, `${total} alerts indexed`);
    await sleep(3000); // redeliveries after the ack wait would show up now
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare("SELECT json_extract(json, '$.full_log') AS log FROM alerts").all() as Array<{ log: string }>;
    db.close();
    const perLine = new Map<string, number>();
    for (const r of rows) perLine.set(r.log, (perLine.get(r.log) ?? 0) + 1);
    const userLines = [...perLine].filter(([log]) => /for user\d+ from/.test(log));
    assert.equal(userLines.length, total, 'every line alerted');
    assert.deepEqual(userLines.filter(([, n]) => n !== 1), [], 'no line alerted twice');
    assert.equal(rows.length - rows.filter((r) => r.log.includes('for warmup')).length, total, 'nothing but the warm-up and the written lines');
    // Graceful shutdown: every service drains and exits 0 on SIGTERM.
    for (const [name, p] of Object.entries(procs)) assert.equal(await stopChild(p, 'SIGTERM'), 0, `${name} exits 0 on SIGTERM`);
  } catch (err) {
    for (const [name, p] of Object.entries(procs)) process.stderr.write(`--- ${name} output ---\n${p.output()}\n`);
    throw err;
  } finally {
    await Promise.all(Object.values(procs).map((p) => stopChild(p)));
  }
});
