import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DecodedEvent, RawEvent } from '@vigil/common';
import { Accumulator, BUILTIN_RULESET, decodeEvent, decoderSources, loadDecoderFiles, loadDecoders } from '@vigil/decoder';
import { ossecInstall, ossecRulesetDir } from '@vigil/wazuh-format/testing';
import { readRulesetFiles } from '@vigil/wazuh-format';
import { loadRulesetFiles } from '../adapters/rule-files.ts';
import { bruteForceCorpus } from '../../test/corpus.ts';
import { parseWazuhIni, SKIP_REASON, wazuhRulesetDir } from '../../test/wazuh-reference.ts';
import { loadRules } from './load-rules.ts';
import { evaluateEvent, eventClock, newEngineState } from './rule-engine.ts';
import type { CompiledRuleset } from './rule-types.ts';

// The indexed search must give exactly what the plain newest-first walk of whole lists gives (the reference,
// `linearSearch`): same rules, firedtimes and previous_output, whatever the clock does.

function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

/** A clock for event i: the time it is evaluated at (ms). */
type Clock = (i: number, event: DecodedEvent) => number;

/** What an evaluation shows of the correlation: one line per event. */
function outcomes(ruleset: CompiledRuleset, events: readonly DecodedEvent[], clock: Clock, linearSearch: boolean): string[] {
  const state = newEngineState({ linearSearch });
  return events.map((e, i) => {
    const r = evaluateEvent(ruleset, state, e, { managerName: 'm', now: clock(i, e) });
    return JSON.stringify([r.ruleId ?? null, r.level ?? null, r.firedtimes ?? null, r.alert !== undefined, r.alert?.previous_output ?? null]);
  });
}

/**
 * Runs both searches and compares them; returns how many events matched a correlation rule (so a test can check
 * it exercised them), and reports which rules.
 */
function assertSame(t: TestContext, ruleset: CompiledRuleset, events: readonly DecodedEvent[], clock: Clock, what: string): number {
  // Both runs see the same times, computed once.
  const times = events.map((e, i) => clock(i, e));
  const reference = outcomes(ruleset, events, (i) => times[i] as number, true);
  const indexed = outcomes(ruleset, events, (i) => times[i] as number, false);
  for (let i = 0; i < events.length; i++) {
    if (indexed[i] !== reference[i]) assert.fail(`${what}: event ${i} (${events[i]?.log}): indexed ${indexed[i]}, reference ${reference[i]}`);
  }
  let correlated = 0;
  const ids = new Set<string>();
  for (const o of reference) {
    const id = (JSON.parse(o) as [string | null])[0];
    if (id !== null && ruleset.byId.get(id)?.correlation !== undefined) {
      correlated++;
      ids.add(id);
    }
  }
  t.diagnostic(`${what}: ${correlated} correlation matches (rules ${[...ids].join(', ')})`);
  return correlated;
}

const eventTime: Clock = (_, e) => eventClock(e);
/** Times jump back and forth by up to 20 s around the event's own time. */
const jittered = (seed: number): Clock => {
  const rand = random(seed);
  return (_, e) => eventClock(e) + Math.floor((rand() - 0.5) * 40_000);
};
/** A replay: every `period` events the clock goes back to the start (as replaying the same batch again). */
const replayed = (period: number, stepMs: number, start: number): Clock => (i) => start + (i % period) * stepMs;

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);

const RULES = `
<group name="test,">
  <rule id="900" level="3"><match>fail</match><group>auth_fail,</group><description>fail</description></rule>
  <rule id="901" level="3"><match>denied</match><group>auth_fail,</group><description>denied</description></rule>
  <rule id="902" level="2"><match>ok</match><description>ok</description></rule>
  <rule id="910" level="8" frequency="4" timeframe="20"><if_matched_sid>900</if_matched_sid><same_source_ip /><description>a</description></rule>
  <rule id="911" level="10" frequency="14" timeframe="60"><if_matched_sid>900</if_matched_sid><same_source_ip /><same_user /><description>b</description></rule>
  <rule id="912" level="7" frequency="3" timeframe="15"><if_matched_group>auth_fail</if_matched_group><same_field>app</same_field><different_srcip /><description>c</description></rule>
  <rule id="913" level="6" frequency="5" timeframe="30"><if_matched_regex>fail|denied</if_matched_regex><same_location /><description>d</description></rule>
  <rule id="914" level="5" timeframe="10"><if_sid>902</if_sid><if_matched_sid>901</if_matched_sid><same_source_ip /><different_field>App</different_field><description>e</description></rule>
  <rule id="915" level="9" frequency="6" timeframe="40"><if_matched_group>auth_fail</if_matched_group><different_srcuser /><description>f</description></rule>
  <rule id="916" level="4" frequency="3" timeframe="25"><if_matched_regex>ok</if_matched_regex><description>g</description></rule>
  <rule id="917" level="12" frequency="13" timeframe="50"><if_matched_group>auth_fail</if_matched_group><same_srcuser /><same_location /><description>h</description></rule>
</group>`;

/** Events of a few agents hitting every kind of search: few addresses and users, so keys repeat and bursts form. */
function syntheticEvents(size: number): DecodedEvent[] {
  const rand = random(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const events: DecodedEvent[] = [];
  for (let i = 0; i < size; i++) {
    const agent = `a${Math.floor(rand() * 4)}`;
    const log = pick(['fail', 'fail', 'fail', 'denied', 'ok', 'other']) + ` ${i}`;
    const data: Record<string, unknown> = {};
    if (rand() < 0.9) data['srcip'] = pick(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    if (rand() < 0.8) data['dstuser'] = pick(['root', 'bob']);
    if (rand() < 0.8) data['srcuser'] = pick(['u1', 'u2', 'u3']);
    if (rand() < 0.7) data[rand() < 0.5 ? 'app' : 'App'] = pick(['x', 'y', 'z']);
    const at = new Date(T0 + i * 200).toISOString();
    events.push({
      v: 1, id: `${agent}:${i}`, seq: i, agent: { id: agent, name: `host-${agent}` }, kind: 'log',
      location: pick(['/var/log/auth.log', '/var/log/secure']), collectedAt: at, decodedAt: at, partition: 0,
      full_log: `Jan 10 12:00:00 host app: ${log}`, log, predecoder: { hostname: 'host', program_name: 'app' },
      decoder: { name: 'x', type: 'syslog' }, data,
    });
  }
  return events;
}

test('indexed search = linear search: every kind of search, in order, out of order and replayed', (t) => {
  const r = loadRules([{ file: '/t/rules.xml', text: RULES }]);
  assert.deepEqual(r.errors, []);
  const events = syntheticEvents(12_000);
  for (const [what, clock] of [['event time', eventTime], ['jittered', jittered(5)], ['replayed', replayed(1500, 200, T0)]] as const) {
    const correlated = assertSame(t, r.ruleset, events, clock, what);
    assert.ok(correlated > 500, `${what}: ${correlated} correlation matches`);
  }
});

test('indexed search = linear search: the builtin ruleset on brute-force bursts', (t) => {
  const { ruleset } = loadRulesetFiles([BUILTIN_RULESET]);
  const corpus = bruteForceCorpus(15_000, 20, 1);
  for (const [what, clock] of [['event time', eventTime], ['jittered', jittered(11)], ['replayed', replayed(4000, 50, T0)]] as const) {
    assert.ok(assertSame(t, ruleset, corpus, clock, what) > 20, what);
  }
});

const wazuh = wazuhRulesetDir();

test('indexed search = linear search: the Wazuh ruleset on its test-suite lines', { skip: wazuh ? false : SKIP_REASON }, (t) => {
  const dir = wazuh as string;
  const decoders = loadDecoders(decoderSources([dir])).set;
  const { sources, lists } = readRulesetFiles([dir]);
  const { ruleset } = loadRules(sources, { lists });
  const lines: string[] = [];
  for (const f of readdirSync(join(dir, 'tests')).filter((x) => x.endsWith('.ini'))) {
    for (const [, keys] of parseWazuhIni(readFileSync(join(dir, 'tests', f), 'utf8'))) {
      for (const [k, v] of keys) if (k.startsWith('log ')) lines.push(...v.split('\n'));
    }
  }
  // Every line once or in a burst (the same line repeated for one agent), so frequency rules of many decoders fire.
  const rand = random(17);
  const accumulator = new Accumulator();
  const events: DecodedEvent[] = [];
  for (let n = 0, i = 0; events.length < 15_000; n++) {
    const line = lines[n % lines.length] as string;
    const agent = `agent-${Math.floor(rand() * 10)}`;
    const count = rand() < 0.3 ? 6 + Math.floor(rand() * 16) : 1;
    for (let k = 0; k < count; k++, i++) {
      const at = new Date(T0 + i * 20);
      const raw: RawEvent = { v: 1, id: `${agent}:${i}`, seq: i, agent: { id: agent, name: agent }, kind: 'log', location: '/var/log/syslog', collectedAt: at.toISOString(), log: line };
      events.push(decodeEvent(raw, { partitions: 1, now: at, decoders, accumulator }));
    }
  }
  for (const [what, clock] of [['event time', eventTime], ['jittered', jittered(3)], ['replayed', replayed(4000, 20, T0)]] as const) {
    assert.ok(assertSame(t, ruleset, events, clock, what) > 30, what);
  }
});

// OSSEC's semantics: its walk stops at a marked event of any key; the indexed search stops the bucket's walk at the
// newest marked event of the whole list (HistoryList.newestMark), and must give what the plain walk gives.

test('indexed search = linear search under OSSEC semantics: every kind of search, in order, out of order and replayed', (t) => {
  const r = loadRules([{ file: '/t/rules.xml', text: RULES }], { semantics: 'ossec' });
  assert.deepEqual(r.errors, []);
  const events = syntheticEvents(12_000);
  for (const [what, clock] of [['event time', eventTime], ['jittered', jittered(5)], ['replayed', replayed(1500, 200, T0)]] as const) {
    const correlated = assertSame(t, r.ruleset, events, clock, `ossec, ${what}`);
    assert.ok(correlated > 300, `${what}: ${correlated} correlation matches`);
  }
});

test('indexed search = linear search under OSSEC semantics: the builtin ruleset on brute-force bursts', (t) => {
  const { ruleset } = loadRulesetFiles([BUILTIN_RULESET], { semantics: 'ossec' });
  const corpus = bruteForceCorpus(15_000, 20, 1);
  for (const [what, clock] of [['event time', eventTime], ['jittered', jittered(11)], ['replayed', replayed(4000, 50, T0)]] as const) {
    assert.ok(assertSame(t, ruleset, corpus, clock, `ossec, ${what}`) > 20, what);
  }
});

const ossecDir = ossecRulesetDir();
const generator = ossecDir ? join(dirname(ossecDir), 'bench', 'gen_mixed_log.py') : undefined;
const ossecCorpusSkip = !ossecDir ? 'OSSEC 3.3.0 ruleset not found (../shared/ossec-ruleset)' : !existsSync(generator as string) ? 'gen_mixed_log.py not found' : false;

test('indexed search = linear search under OSSEC semantics: the OSSEC ruleset on the benchmark corpus', { skip: ossecCorpusSkip }, (t) => {
  const conf = ossecInstall(ossecDir as string);
  const { ruleset } = loadRulesetFiles([], { ossecConf: conf, semantics: 'ossec' });
  const decoders = loadDecoderFiles([], { ossecConf: conf }).set;
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-corpus-')), 'mixed.log');
  execFileSync('python3', [generator as string, '20000', file, '42']);
  const accumulator = new Accumulator();
  const events = readFileSync(file, 'utf8').trimEnd().split('\n').map((log, i) => {
    const at = new Date(T0 + i * 10);
    const raw: RawEvent = { v: 1, id: `000:${i}`, seq: i, agent: { id: '000', name: 'm' }, kind: 'log', location: 'stdin', collectedAt: at.toISOString(), log };
    return decodeEvent(raw, { partitions: 1, now: at, decoders, accumulator });
  });
  for (const [what, clock] of [['event time', eventTime], ['jittered', jittered(7)]] as const) {
    assert.ok(assertSame(t, ruleset, events, clock, `ossec corpus, ${what}`) > 20, what);
  }
});
