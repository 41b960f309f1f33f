import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedEvent, RawEvent } from '@vigil/common';
import { Accumulator, decodeEvent, decoderSources, loadDecoders } from '@vigil/decoder';
import { readRulesetFiles } from '@vigil/wazuh-format';
import { parseWazuhIni, SKIP_REASON, wazuhRulesetDir } from '../../test/wazuh-reference.ts';
import { loadRules } from './load-rules.ts';
import { evaluateEvent, newEngineState } from './rule-engine.ts';
import type { CompiledRuleset } from './rule-types.ts';

// Parents walk only the children whose gate (`<decoded_as>`, `<program_name>`) passes: that must change nothing.
// The same ruleset walking every child is the reference.

const wazuh = wazuhRulesetDir();
const T0 = Date.UTC(2024, 0, 10, 12);

function walkingEveryChild(ruleset: CompiledRuleset): CompiledRuleset {
  for (const rule of [...ruleset.byId.values(), ...ruleset.roots]) rule.candidates = undefined;
  return ruleset;
}

test('gated children change no evaluation: the Wazuh ruleset on its test-suite lines, as written and upper-cased', { skip: wazuh ? false : SKIP_REASON }, (t) => {
  const dir = wazuh as string;
  const decoders = loadDecoders(decoderSources([dir])).set;
  const { sources, lists } = readRulesetFiles([dir]);
  const gated = loadRules(sources, { lists }).ruleset;
  const reference = walkingEveryChild(loadRules(sources, { lists }).ruleset);
  assert.ok([...gated.byId.values()].some((r) => r.candidates !== undefined), 'some parents of the Wazuh ruleset have gated children');
  const lines: string[] = [];
  for (const f of readdirSync(join(dir, 'tests')).filter((x) => x.endsWith('.ini'))) {
    for (const [, keys] of parseWazuhIni(readFileSync(join(dir, 'tests', f), 'utf8'))) {
      for (const [k, v] of keys) if (k.startsWith('log ')) lines.push(...v.split('\n'));
    }
  }
  const accumulator = new Accumulator();
  const events: DecodedEvent[] = [...lines, ...lines.map((l) => l.toUpperCase())].map((log, i) => {
    const at = new Date(T0 + i * 100);
    const agent = `agent-${i % 7}`;
    const raw: RawEvent = { v: 1, id: `${agent}:${i}`, seq: i, agent: { id: agent, name: agent }, kind: 'log', location: '/var/log/syslog', collectedAt: at.toISOString(), log };
    return decodeEvent(raw, { partitions: 1, now: at, decoders, accumulator });
  });
  const run = (ruleset: CompiledRuleset) => {
    const state = newEngineState();
    return events.map((e, i) => {
      const r = evaluateEvent(ruleset, state, e, { managerName: 'm', now: T0 + i * 100 });
      return JSON.stringify([r.ruleId ?? null, r.level ?? null, r.firedtimes ?? null, r.alert ?? null]);
    });
  };
  const expected = run(reference);
  const actual = run(gated);
  let matched = 0;
  for (let i = 0; i < events.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`event ${i} (${events[i]?.log.slice(0, 120)}): gated ${actual[i]?.slice(0, 200)}, every child ${expected[i]?.slice(0, 200)}`);
    if (!expected[i]?.startsWith('[null')) matched++;
  }
  t.diagnostic(`${events.length} events, ${matched} matched a rule`);
  assert.ok(matched > events.length / 3, `${matched} of ${events.length} events matched a rule`);
});
