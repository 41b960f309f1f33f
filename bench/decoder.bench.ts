/**
 * Decoder benchmark: decode-only events per second on one thread (pre-decoding + the full Wazuh decoder set), on a
 * mixed corpus of sshd, sudo, PAM, kernel, web access and JSON lines. Prints a Markdown section.
 *
 *   node --import tsx bench/decoder.bench.ts [--seconds 3] [--ruleset DIR]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RawEvent } from '@vigil/common';
import { decodeEvent, decodeLog, loadDecoderFiles, predecode, type DecoderSet } from '@vigil/decoder';
import { corpus, FAMILIES } from './host-corpus.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, ruleset: { type: 'string' } } });
const SECONDS = Number(values.seconds);
const wazuh = values.ruleset ?? process.env['WAZUH_RULESET_DIR'] ?? '/work/shared/wazuh-ruleset';
const haveWazuh = existsSync(`${wazuh}/decoders`);

function raw(line: string, i: number): RawEvent {
  return { v: 1, id: `bench:${i}`, seq: i, agent: { id: 'bench', name: 'bench' }, kind: 'log', location: '/var/log/syslog', collectedAt: '2026-11-28T10:00:00.000Z', log: line };
}

/**
 * Runs `fn` over the events for about `seconds` of CPU time, after a warm-up; returns events per CPU second of this
 * process (user + system), which holds steady on a shared machine where wall-clock rates swing with the load.
 */
function rate(events: readonly RawEvent[], seconds: number, fn: (e: RawEvent) => unknown): number {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const warm = cpu();
  while (cpu() - warm < Math.min(1, seconds / 2)) for (const e of events) fn(e);
  let n = 0;
  const start = cpu();
  while (cpu() - start < seconds) {
    for (const e of events) fn(e);
    n += events.length;
  }
  return n / (cpu() - start);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const loadStart = performance.now();
const set: DecoderSet = loadDecoderFiles([haveWazuh ? wazuh : 'builtin']).set;
const loadMs = performance.now() - loadStart;
const items = corpus(2000);
const events = items.map((it, i) => raw(it.line, i));
const now = new Date();

const names = new Map<string, Set<string>>();
for (const it of items) {
  const pre = predecode(it.line);
  const name = decodeLog(set, { log: pre.log, programName: pre.program_name }).decoder?.name ?? '(none)';
  const s = names.get(it.family) ?? new Set<string>();
  s.add(name);
  names.set(it.family, s);
}

const full = rate(events, SECONDS, (e) => decodeEvent(e, { partitions: 16, now, decoders: set }));
const perFamily: Array<[string, number]> = Object.keys(FAMILIES).map((family) => {
  const subset = events.filter((_, i) => items[i]?.family === family);
  return [family, rate(subset, Math.max(0.5, SECONDS / 4), (e) => decodeEvent(e, { partitions: 16, now, decoders: set }))];
});
/** Milliseconds (CPU) to decode one event, averaged over a few runs. */
function cpuMs(e: RawEvent, runs: number): number {
  const u0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) decodeEvent(e, { partitions: 16, now, decoders: set });
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000 / runs;
}
const longSshd = cpuMs(raw(`Nov 28 10:00:00 host sshd[1]: Failed password for root from 10.0.0.1 port 22 ${'x'.repeat(1024 * 1024)}`, 0), 20);
const longHeaderless = cpuMs(raw(`${'a b: %x '.repeat(131072)}`, 0), 5);

const out = [
  '### Decoder: decode-only throughput, one thread',
  '',
  `Decoder set: ${haveWazuh ? `the Wazuh 4.14.7 ruleset's decoders (${set.files.length} files, ${set.decoderCount} decoders)` : `Vigil's built-in decoders (${set.decoderCount}; the Wazuh ruleset was not found)`}, compiled in ${fmt(loadMs)} ms.`,
  `Corpus: ${events.length.toLocaleString('en-US')} distinct lines, equal shares of sshd (failed/accepted/closed), sudo, PAM (sshd auth failure, su session), kernel (iptables, usb), web access (combined log) and JSON (Suricata eve-like), varied addresses, users and ports.`,
  'Each event goes through `decodeEvent`: pre-decoding, the decoder tree (first matching top-level decoder, children, sibling groups, plugins) and building the DecodedEvent, in one Node.js thread after a warm-up. Rates are events per CPU second of the process (user + system time, GC included), so that a busy shared machine does not skew them.',
  '',
  '| corpus | events/s (per CPU second) |',
  '|---|---:|',
  `| **mixed** | **${fmt(full)}** |`,
  ...perFamily.map(([family, r]) => `| ${family} (decoded as: ${[...(names.get(family) ?? [])].join(', ')}) | ${fmt(r)} |`),
  '',
  `For scale: OSSEC's C engine decodes *and* matches rules at about 170,000 events/s on one core of this class of machine; Vigil decodes ${fmt(full)} events/s on one thread (${((100 * full) / 170_000).toFixed(0)}% of that figure, before rules), and decoders scale out as replicas sharing one durable consumer.`,
  `A 1 MB line is cut to 64 KiB before decoding: an sshd line then takes ${longSshd.toFixed(2)} ms; a line without syslog header, which every decoder without <program_name> tries in turn (the worst case), ${longHeaderless.toFixed(1)} ms.`,
];
process.stdout.write(`${out.join('\n')}\n`);
