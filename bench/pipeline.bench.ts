/**
 * End-to-end benchmark: lines written to a watched file → alerts indexed in SQLite, through a real nats-server
 * and each service in its own process (as deployed). Prints a Markdown section.
 *
 *   node --import tsx bench/pipeline.bench.ts [--lines 100000] [--rate 2000] [--seconds 10]
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { connectBus, createLogger, DURABLES } from '@vigil/common';
import { startTestNats, waitFor } from '@vigil/common/testing';
import { countAlerts, sshdLine, spawnVigil, stopChild, testConfigDocument, writeConfigFile } from '../services/cli/test/harness.ts';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '100000' }, rate: { type: 'string', default: '500' }, seconds: { type: 'string', default: '10' } },
});
const LINES = Number(values.lines);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ALERT_SHARE = 0.2;
const PARTITIONS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A realistic mix: one line in five is a failed login (alerts), the rest are sshd/cron/kernel noise. */
function line(i: number, stamp: number): string {
  const agentHost = 'bench-host';
  if (i % 5 === 0) return sshdLine(`Failed password for user${i % 500} from 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} port ${stamp} ssh2`, agentHost);
  if (i % 5 === 1) return sshdLine(`Connection closed by 10.0.${(i >> 8) & 255}.${i & 255} port ${stamp} [preauth]`, agentHost);
  if (i % 5 === 2) return `Nov 28 10:00:00 ${agentHost} CRON[${i}]: (root) CMD (run-parts /etc/cron.hourly) ${stamp}`;
  if (i % 5 === 3) return `Nov 28 10:00:00 ${agentHost} kernel: [${i}.000000] IPv4: martian source 10.0.0.${i & 255} from 10.0.0.1 ${stamp}`;
  return `Nov 28 10:00:00 ${agentHost} systemd[1]: Started Session ${i} of user ubuntu. ${stamp}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const nats = await startTestNats();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const watched = join(dir, 'auth.log');
  writeFileSync(watched, '');
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [watched] });
  document['pipeline'] = { partitions: PARTITIONS, managerName: 'bench' };
  (document['nats'] as Record<string, unknown>)['consumers'] = { ackWaitSeconds: 60, batchSize: 1000 };
  (document['collector'] as Record<string, unknown>)['batchLines'] = 5000;
  const env = { VIGIL_CONFIG: writeConfigFile(dir, document), NATS_URL: nats.url, VIGIL_LOG_LEVEL: 'error' };
  const procs = ['indexer', 'rule-engine', 'decoder', 'collector'].map((s) => spawnVigil([s], env));
  const dbPath = join(dir, 'data', 'vigil.db');
  const logger = createLogger({ level: 'silent' });
  const bus = await connectBus(
    { ...(await import('../services/cli/src/config.ts')).loadVigilConfig(undefined, { NATS_URL: nats.url }).nats },
    logger,
    'bench',
  );
  const alertsIndexed = () => countAlerts(dbPath);
  const rulePending = async () => {
    let pending = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      try {
        const info = await bus.jsm.consumers.info(bus.streams.decoded, DURABLES.ruleEngine(p));
        pending += info.num_pending + info.num_ack_pending;
      } catch {
        pending += 1;
      }
    }
    return pending;
  };
  try {
    // Warm up until a line makes it through every stage.
    let last = 0;
    await waitFor(() => {
      if (alertsIndexed() > 0) return true;
      if (Date.now() - last > 500) {
        appendFileSync(watched, sshdLine('Failed password for warmup from 10.9.9.9 port 1 ssh2', 'bench-host') + '\n');
        last = Date.now();
      }
      return false;
    }, 60_000, 'warm-up');
    await sleep(1500);
    const base = alertsIndexed();

    // Phase 1: throughput. Write LINES lines in chunks as fast as the file takes them.
    const t0 = Date.now();
    const chunk = 10_000;
    for (let i = 0; i < LINES; i += chunk) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(LINES, i + chunk); j++) lines.push(line(j, 0));
      appendFileSync(watched, lines.join('\n') + '\n');
    }
    const tWritten = Date.now();
    const expectedAlerts = base + Math.ceil(LINES * ALERT_SHARE);
    await waitFor(async () => alertsIndexed() >= expectedAlerts && (await rulePending()) === 0, 600_000, 'all events processed');
    const t1 = Date.now();
    const throughput = LINES / ((t1 - t0) / 1000);

    // Phase 2: latency at a steady rate, each line carrying the time it was written.
    const base2 = alertsIndexed();
    const total2 = RATE * SECONDS;
    const tick = 20;
    const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
    const started = Date.now();
    let written = 0;
    while (written < total2) {
      const due = Math.min(total2, Math.floor(((Date.now() - started) / 1000) * RATE) + perTick);
      const lines: string[] = [];
      const now = Date.now();
      for (; written < due; written++) lines.push(line(written * 5, now)); // every line of phase 2 alerts
      if (lines.length) appendFileSync(watched, lines.join('\n') + '\n');
      await sleep(tick);
    }
    await waitFor(() => alertsIndexed() >= base2 + total2, 300_000, 'phase 2 alerts indexed');
    const db = new Database(dbPath, { readonly: true });
    const rows = db
      .prepare("SELECT indexed_at, json_extract(json, '$.full_log') AS log FROM alerts WHERE json_extract(json, '$.full_log') LIKE '%port 1_________%'")
      .all() as Array<{ indexed_at: number; log: string }>;
    db.close();
    const latencies = rows
      .map((r) => r.indexed_at - Number(/port (\d{13}) /.exec(r.log)?.[1]))
      .filter((n) => Number.isFinite(n))
      .sort((a, b) => a - b);

    const out: string[] = [];
    out.push('### End-to-end pipeline (lines written → alerts indexed)');
    out.push('');
    out.push(
      `Collector, decoder, rule-engine and indexer each in its own process (\`bin/vigil <service>\`), Debian's nats-server 2.9 with JetStream on loopback, SQLite indexer, ${PARTITIONS} partitions, batch size 1000. ` +
        `Mixed syslog corpus (sshd failures and closes, cron, kernel, systemd); ${ALERT_SHARE * 100}% of lines raise an alert.`,
    );
    out.push('');
    out.push('| measure | value |');
    out.push('|---|---|');
    out.push(`| lines written (throughput run) | ${LINES.toLocaleString('en')} (written in ${tWritten - t0} ms) |`);
    out.push(`| end-to-end throughput | **${Math.round(throughput).toLocaleString('en')} events/s** |`);
    out.push(`| alerts indexed | ${(expectedAlerts - base).toLocaleString('en')} |`);
    out.push(`| latency run | ${total2.toLocaleString('en')} alerting lines at ${RATE.toLocaleString('en')}/s for ${SECONDS} s |`);
    out.push(`| latency p50 / p95 / p99 / max | ${percentile(latencies, 50)} / ${percentile(latencies, 95)} / ${percentile(latencies, 99)} / ${latencies[latencies.length - 1]} ms (n=${latencies.length}) |`);
    out.push('');
    out.push('Aim for later: 50,000 events/s on 2 cores. This run is the baseline.');
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await bus.nc.close();
    await Promise.all(procs.map((p) => stopChild(p)));
    await nats.dispose();
  }
}

await main();
