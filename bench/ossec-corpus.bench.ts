/**
 * The fixed engine benchmark against OSSEC's C engine (../shared/bench/README.md): the corpus of
 * ../shared/bench/gen_mixed_log.py (1,000,000 lines, seed 42, generated into a temporary folder) with OSSEC 3.3.0's
 * ruleset loaded through its rules.template include order (`--ossec-conf`, OSSEC's semantics), measured
 *   1. in one thread: decode + `evaluateEvent` of every line, no output;
 *   2. through `vigil logtest --ossec-conf … --semantics ossec --alerts-only` over the file (a child process, start-up
 *      and ruleset load included, as in OSSEC's `ossec-logtest -q -a` figure), alerts written to a file;
 * each as events per CPU-second beside OSSEC's figure, as a ratio. Prints a Markdown section.
 *
 *   node --import tsx bench/ossec-corpus.bench.ts [--lines 1000000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RawEvent } from '@vigil/common';
import { Accumulator, decodeEvent, loadDecoderFiles } from '@vigil/decoder';
import { evaluateEvent, loadRulesetFiles, newEngineState } from '@vigil/rule-engine';
import { ossecInstall, ossecRulesetDir } from '@vigil/wazuh-format/testing';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' } } });
const LINES = Number(values.lines);
const ROOT = resolve(import.meta.dirname, '..');
const GENERATOR = [process.env['OSSEC_BENCH_GENERATOR'], resolve(ROOT, '../shared/bench/gen_mixed_log.py'), '/work/shared/bench/gen_mixed_log.py'].find(
  (f): f is string => f !== undefined && existsSync(f),
);
/** OSSEC 3.8.0's `ossec-logtest -q -a` on 1,000,000 lines of this corpus (../shared/bench/README.md). */
const OSSEC = { lines: 1_000_000, wallLow: 11.7, wallHigh: 12.6, userCpu: 8.1, perCoreLow: 80_000, perCoreHigh: 85_000, alerts: 377_552 };

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (x: number, ref: number) => `${(x / ref).toFixed(2)}×`;

function main(): void {
  console.log("### Engine against OSSEC's C engine (OSSEC 3.3.0 ruleset, mixed syslog corpus)\n");
  const ruleset = ossecRulesetDir();
  if (!ruleset || !GENERATOR) {
    console.log('_Skipped: ../shared/ossec-ruleset or ../shared/bench/gen_mixed_log.py is not available._');
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'vigil-ossec-bench-'));
  try {
    const corpus = join(tmp, `bench-${LINES}.log`);
    execFileSync('python3', [GENERATOR, String(LINES), corpus, '42']);
    const conf = ossecInstall(ruleset);

    // 1. decode + match in one thread.
    const decoders = loadDecoderFiles([], { ossecConf: conf }).set;
    const loaded = loadRulesetFiles([], { ossecConf: conf, semantics: 'ossec' });
    const lines = readFileSync(corpus, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const state = newEngineState();
    const accumulator = new Accumulator();
    let alerts = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < lines.length; i++) {
      const now = new Date();
      const raw: RawEvent = { v: 1, id: `000:${i}`, seq: i, agent: { id: '000', name: 'manager' }, kind: 'log', location: 'stdin', collectedAt: now.toISOString(), log: lines[i] as string };
      const event = decodeEvent(raw, { partitions: 1, now, decoders, accumulator });
      if (evaluateEvent(loaded.ruleset, state, event, { managerName: 'manager', now: now.getTime() }).alert) alerts++;
    }
    const wall = (performance.now() - t0) / 1000;
    const cu = process.cpuUsage(c0);
    const cpu = (cu.user + cu.system) / 1e6;

    // 2. vigil logtest --alerts-only over the file, in a child process timed by /usr/bin/time.
    const out = join(tmp, 'alerts.json');
    const input = openSync(corpus, 'r');
    const output = openSync(out, 'w');
    const timeFile = join(tmp, 'time');
    const child = spawnSync('/usr/bin/time', ['-f', '%U %S %e', '-o', timeFile, join(ROOT, 'bin', 'vigil'), 'logtest', '--ossec-conf', conf, '--semantics', 'ossec', '--alerts-only'], {
      stdio: [input, output, 'pipe'],
    });
    closeSync(input);
    closeSync(output);
    if (child.status !== 0) throw new Error(`vigil logtest failed: ${child.stderr.toString()}`);
    const [user, sys, elapsed] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
    const logtestCpu = user + sys;
    const logtestAlerts = readFileSync(out, 'utf8').split('\n').length - 1;

    const perCpu = lines.length / cpu;
    const logtestPerCpu = lines.length / logtestCpu;
    const ossecPerUserCpu = OSSEC.lines / OSSEC.userCpu;
    console.log(`Corpus: \`gen_mixed_log.py ${n(LINES)} … 42\` (${(statSync(corpus).size / 1e6).toFixed(0)} MB), generated for the run. Ruleset: \`../shared/ossec-ruleset\` through its \`rules.template\` include order (\`--ossec-conf\`), ${n(decoders.decoderCount)} decoders, ${n(loaded.ruleset.byId.size)} rules, \`ruleEngine.semantics: ossec\`, processing-time clock, alerts from level 3.`);
    console.log(`OSSEC's figure (../shared/bench/README.md, OSSEC 3.8.0 \`ossec-logtest -q -a\`, 1,000,000 lines, same machine kind): ${OSSEC.wallLow}–${OSSEC.wallHigh} s wall, ${OSSEC.userCpu} s user CPU, i.e. ${n(OSSEC.perCoreLow)}–${n(OSSEC.perCoreHigh)} events/s on one core (wall), ${n(ossecPerUserCpu)} per user-CPU second; ${n(OSSEC.alerts)} alerts.`);
    console.log(`Load average during the run: ${loadavg()[0]?.toFixed(1)}. Ratios are Vigil ÷ OSSEC.\n`);
    console.log('| what | events per CPU-second | ÷ OSSEC per core (80–85k) | ÷ OSSEC per user-CPU second | wall | alerts |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(`| decode + match, one thread, no output | **${n(perCpu)}** | ${ratio(perCpu, OSSEC.perCoreHigh)}–${ratio(perCpu, OSSEC.perCoreLow)} | ${ratio(perCpu, ossecPerUserCpu)} | ${wall.toFixed(1)} s | ${n(alerts)} |`);
    console.log(`| \`vigil logtest --alerts-only\` over the file (process start and ruleset load included) | **${n(logtestPerCpu)}** | ${ratio(logtestPerCpu, OSSEC.perCoreHigh)}–${ratio(logtestPerCpu, OSSEC.perCoreLow)} | ${ratio(logtestPerCpu, ossecPerUserCpu)} | ${elapsed.toFixed(1)} s | ${n(logtestAlerts)} |`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
