import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedEvent } from '@vigil/common';
import { loadRules } from './load-rules.ts';
import { evaluateEvent, newEngineState } from './rule-engine.ts';
import { carryCorrelationState } from './carry-state.ts';
import type { CompiledRuleset } from './rule-types.ts';

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);

function ruleset(files: Record<string, string>): CompiledRuleset {
  const r = loadRules(Object.entries(files).map(([file, text]) => ({ file, text })));
  assert.deepEqual(r.errors, []);
  return r.ruleset;
}

let n = 0;
function failure(srcip: string): DecodedEvent {
  const at = new Date(T0 + n * 1000).toISOString();
  return {
    v: 1, id: `a1:${n++}`, seq: n, agent: { id: 'a1', name: 'host-a1' }, kind: 'log', location: '/var/log/auth.log', collectedAt: at, decodedAt: at, partition: 0,
    full_log: `Jan 10 12:00:00 host sshd[1]: Failed password for root from ${srcip}`, log: `Failed password for root from ${srcip}`,
    predecoder: { timestamp: 'Jan 10 12:00:00', hostname: 'host', program_name: 'sshd' }, decoder: { name: 'sshd', type: 'syslog' }, data: { srcip },
  };
}

const SSHD = `<group name="sshd,">
  <rule id="100100" level="5"><decoded_as>sshd</decoded_as><match>Failed password</match><description>failed</description></rule>
  <rule id="100101" level="10" frequency="3" timeframe="300"><if_matched_sid>100100</if_matched_sid><same_source_ip/><description>brute force (sid)</description></rule>
</group>
`;
const GROUPED = `<group name="sshd,">
  <rule id="100100" level="5"><decoded_as>sshd</decoded_as><match>Failed password</match><group>authentication_failed,</group><description>failed</description></rule>
  <rule id="100102" level="12" frequency="3" timeframe="300"><if_matched_group>authentication_failed</if_matched_group><same_source_ip/><description>brute force (group)</description></rule>
</group>
`;
const OTHER = '<group name="other,"><rule id="100300" level="3"><match>unrelated</match><description>other</description></rule></group>\n';
const ANOTHER_GROUP_LIST = '<group name="g,"><rule id="100400" level="3" frequency="2" timeframe="60"><if_matched_group>nothing_like_it</if_matched_group><description>g</description></rule></group>\n';

function run(rs: CompiledRuleset, state: ReturnType<typeof newEngineState>, count: number): Array<string | undefined> {
  return Array.from({ length: count }, (_, i) => evaluateEvent(rs, state, failure('192.0.2.9'), { managerName: 'm', now: T0 + i * 1000 }).ruleId);
}

test('a reload keeps the correlation state of unchanged rules: a brute force spanning it fires as without it', () => {
  const before = ruleset({ '/r/0100-sshd.xml': SSHD });
  const after = ruleset({ '/r/0050-other.xml': OTHER, '/r/0100-sshd.xml': SSHD });
  const state = newEngineState();
  assert.deepEqual(run(before, state, 2), ['100100', '100100']);
  carryCorrelationState(before, after, state);
  assert.deepEqual(run(after, state, 1), ['100101'], 'the 3rd failure across the reload fires the frequency rule');
  const fresh = newEngineState();
  assert.deepEqual(run(after, fresh, 1), ['100100'], 'without the state carried over it would not');
});

test('the state of a rule whose definition changed is dropped', () => {
  const before = ruleset({ '/r/0100-sshd.xml': SSHD });
  const changed = ruleset({ '/r/0100-sshd.xml': SSHD.replace('<description>failed</description>', '<description>failed (changed)</description>') });
  const state = newEngineState();
  run(before, state, 2);
  const agent = state.agents.get('a1');
  assert.equal(agent?.sidHistory.get('100100')?.length, 2);
  carryCorrelationState(before, changed, state);
  assert.equal(agent?.sidHistory.has('100100'), false, "the changed rule's history is gone");
  assert.equal(agent?.firedtimes.has('100100'), false);
  assert.deepEqual(run(changed, state, 2), ['100100', '100100'], 'its correlation starts over');
});

test('if_matched_group lists follow their pattern to their new index', () => {
  const before = ruleset({ '/r/0100-sshd.xml': GROUPED });
  const after = ruleset({ '/r/0050-g.xml': ANOTHER_GROUP_LIST, '/r/0100-sshd.xml': GROUPED });
  assert.deepEqual([before.groupListKeys, after.groupListKeys], [['authentication_failed'], ['nothing_like_it', 'authentication_failed']]);
  const state = newEngineState();
  assert.deepEqual(run(before, state, 2), ['100100', '100100']);
  const list = state.agents.get('a1')?.groupHistory.get(0);
  assert.ok(list);
  carryCorrelationState(before, after, state);
  assert.equal(state.agents.get('a1')?.groupHistory.get(1), list);
  assert.equal(state.agents.get('a1')?.groupHistory.has(0), false);
  assert.deepEqual(run(after, state, 1), ['100102']);
});
