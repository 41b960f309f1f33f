/**
 * Collector benchmark. Prints a Markdown section.
 *  1. CPU of the collector (its own process, real nats-server) while it tails a file written at a steady rate:
 *     the CPU per 10,000 lines/s tailed, spooled and published.
 *  2. A full FIM scan of a tree of N files (baseline scan with hashing, then a rescan with 1% modified):
 *     files/s and peak memory (RSS).
 *
 *   node --import tsx bench/collector.bench.ts [--rate 10000] [--seconds 10] [--files 100000]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { connectBus, createLogger, loadConfig, NatsConfig } from '@vigil/common';
import { startTestNats, waitFor } from '@vigil/common/testing';
import { CollectorConfig } from '../services/collector/src/config.ts';
import { startCollector } from '../services/collector/src/collector-service.ts';
import { FimConfig } from '../services/collector/src/fim-config.ts';
import { SpoolStore } from '../services/collector/src/adapters/spool-store.ts';
import { FimSource } from '../services/collector/src/sources/fim-source.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    files: { type: 'string', default: '100000' },
    child: { type: 'string' },
  },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = 100;

/** utime + stime of a process, in seconds, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The collector alone in this process (the child of the tailing benchmark). */
async function runChild(configJson: string): Promise<void> {
  const { natsUrl, collector } = JSON.parse(configJson) as { natsUrl: string; collector: unknown };
  const logger = createLogger({ level: 'error' });
  const bus = await connectBus(loadConfig(NatsConfig, { document: { url: natsUrl } }), logger, 'bench-collector');
  const service = await startCollector({ config: loadConfig(CollectorConfig, { document: collector }), agent: { id: 'bench', name: 'bench' }, bus, logger });
  await service.ready;
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => void service.stop().then(() => bus.nc.close()).then(() => process.exit(0)));
}

async function benchTailing(rate: number, seconds: number): Promise<string[]> {
  const nats = await startTestNats();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-collector-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const config = { natsUrl: nats.url, collector: { stateDir: join(dir, 'state'), hostLogs: false, registry: { enabled: false }, files: [{ path: log }] } };
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--child', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url } }), createLogger({ level: 'silent' }), 'bench');
  const stored = async () => (await bus.jsm.streams.info(bus.streams.raw)).state.messages;
  try {
    await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    const pid = child.pid as number;
    const line = (i: number) => `Nov 28 10:00:00 bench-host sshd[${i % 30000}]: Failed password for user${i % 500} from 10.0.${(i >> 8) & 255}.${i & 255} port ${i} ssh2`;
    // Warm-up second, then the measured period at a steady rate (a write every 10 ms).
    let written = 0;
    const writeFor = async (ms: number) => {
      const start = Date.now();
      const startCount = written;
      while (Date.now() - start < ms) {
        const due = startCount + Math.floor(((Date.now() - start) / 1000) * rate);
        if (due > written) {
          const lines: string[] = [];
          for (; written < due; written++) lines.push(line(written));
          appendFileSync(log, lines.join('\n') + '\n');
        }
        await sleep(10);
      }
    };
    await writeFor(1000);
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    const w0 = written;
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(pid))), 100);
    await writeFor(seconds * 1000);
    const cpu1 = cpuSeconds(pid);
    const elapsed = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    const measuredRate = (written - w0) / elapsed;
    await waitFor(async () => (await stored()) >= written, 120_000, 'every line stored');
    const cpuShare = (cpu1 - cpu0) / elapsed;
    return [
      `| tailing at ${Math.round(measuredRate).toLocaleString('en-US')} lines/s for ${seconds} s (file → spool → JetStream) | CPU ${(cpuShare * 100).toFixed(1)}% of one core |`,
      `| collector CPU per 10,000 lines/s | ${((cpuShare * 100 * 10_000) / measuredRate).toFixed(1)}% of one core |`,
      `| collector peak RSS while tailing | ${peakRss.toFixed(0)} MiB |`,
      `| lines stored in HIDS_RAW | ${(await stored()).toLocaleString('en-US')} of ${written.toLocaleString('en-US')} written |`,
    ];
  } finally {
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    });
    await bus.nc.close();
    await nats.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchFim(files: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-fim-'));
  const tree = join(dir, 'tree');
  const perDir = 1000;
  const paths: string[] = [];
  for (let d = 0; d * perDir < files; d++) {
    const sub = join(tree, `d${Math.floor(d / 10)}`, `s${d}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < perDir && d * perDir + f < files; f++) {
      const p = join(sub, `f${f}.conf`);
      writeFileSync(p, `key${f} = value ${d}-${f}\n`.repeat(1 + (f % 8)));
      paths.push(p);
    }
  }
  const spool = new SpoolStore(join(dir, 'state', 'spool.db'), { id: 'bench', name: 'bench' }, 1 << 30);
  const config = Value.Default(FimConfig, { enabled: true, directories: [{ path: tree }], scanOnStart: false, frequencySeconds: 86_400 }) as FimConfig;
  const fim = new FimSource({ config, dbPath: join(dir, 'state', 'fim.db'), spool, logger: createLogger({ level: 'silent' }) });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const rssBefore = process.memoryUsage.rss();
  try {
    let t = Date.now();
    await fim.start(); // no baseline yet: the first scan builds it (hashing every file)
    const baselineSeconds = (Date.now() - t) / 1000;
    for (let i = 0; i < paths.length; i += 100) appendFileSync(paths[i] as string, 'changed\n');
    t = Date.now();
    await fim.scanNow();
    const rescanSeconds = (Date.now() - t) / 1000;
    const events = spool.depth().events;
    clearInterval(sampler);
    await fim.stop();
    return [
      `| FIM baseline scan of ${files.toLocaleString('en-US')} files (stat, md5 + sha1 + sha256, SQLite baseline) | ${Math.round(files / baselineSeconds).toLocaleString('en-US')} files/s (${baselineSeconds.toFixed(1)} s) |`,
      `| FIM rescan, 1% of files modified (${events.toLocaleString('en-US')} events spooled) | ${Math.round(files / rescanSeconds).toLocaleString('en-US')} files/s (${rescanSeconds.toFixed(1)} s) |`,
      `| FIM peak RSS during the scans | ${(peak / 2 ** 20).toFixed(0)} MiB (${((peak - rssBefore) / 2 ** 20).toFixed(0)} MiB above the idle process) |`,
    ];
  } finally {
    clearInterval(sampler);
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (values.child) return runChild(values.child);
  const rows = [...(await benchTailing(Number(values.rate), Number(values.seconds))), ...(await benchFim(Number(values.files)))];
  console.log('### Collector\n');
  console.log('| what | figure |');
  console.log('|---|---|');
  for (const r of rows) console.log(r);
}

await main();
