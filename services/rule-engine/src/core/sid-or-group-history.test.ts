import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedEvent } from '@vigil/common';
import { loadRules } from './load-rules.ts';
import { evaluateEvent, newEngineState } from './rule-engine.ts';

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);

// 5710 is watched both by an if_matched_sid rule (5712) and, through its group, by an if_matched_group rule (5799).
const XML = `
<group name="syslog,sshd,">
  <rule id="5700" level="0"><decoded_as>sshd</decoded_as><description>sshd</description></rule>
  <rule id="5710" level="5"><if_sid>5700</if_sid><match>Failed password</match><description>failed</description>
    <group>authentication_failed,</group></rule>
  <rule id="5712" level="10" frequency="8" timeframe="120"><if_matched_sid>5710</if_matched_sid><description>sid watcher</description></rule>
  <rule id="5799" level="10" frequency="2" timeframe="120"><if_sid>5700</if_sid><if_matched_group>authentication_failed</if_matched_group>
    <match>Invalid user</match><description>group watcher</description></rule>
</group>`;

function event(i: number, log: string): DecodedEvent {
  const at = new Date(T0 + i * 1000).toISOString();
  return {
    v: 1, id: `a1:${i}`, seq: i, agent: { id: 'a1', name: 'host' }, kind: 'log', location: '/var/log/auth.log',
    collectedAt: at, decodedAt: at, partition: 0, full_log: `Jan 10 12:00:00 host sshd[1]: ${log}`, log,
    predecoder: { timestamp: 'Jan 10 12:00:00', hostname: 'host', program_name: 'sshd' },
    decoder: { name: 'sshd', type: 'syslog' }, data: {},
  };
}

test('an event whose final rule has an if_matched_sid watcher is not recorded for if_matched_group rules', () => {
  const r = loadRules([{ file: '/t/rules.xml', text: XML }], {});
  assert.deepEqual(r.errors, []);
  const state = newEngineState();
  const ids: Array<string | undefined> = [];
  ids.push(evaluateEvent(r.ruleset, state, event(0, 'Failed password for bob'), { managerName: 'm', now: T0 }).ruleId);
  ids.push(evaluateEvent(r.ruleset, state, event(1, 'Invalid user eve'), { managerName: 'm', now: T0 + 1000 }).ruleId);
  assert.deepEqual(ids, ['5710', '5700'], 'the group watcher 5799 must not fire from an event kept in 5712\'s sid list');
});
