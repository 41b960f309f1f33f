import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedEvent } from '@vigil/common';
import { loadRules } from './load-rules.ts';
import { logtestRulePhase } from './logtest-rule-phase.ts';
import { evaluateEvent, newEngineState } from './rule-engine.ts';
import type { CompiledRuleset, RuleSemantics } from './rule-types.ts';

// Each difference between `ruleEngine.semantics: wazuh` (the default) and `ossec`, shown with both, on the same
// events. OSSEC's behaviour is that of its analysisd (Search_LastSids, ossec-logtest's OS_ReadMSG).

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function ruleset(xml: string, semantics: RuleSemantics): CompiledRuleset {
  const r = loadRules([{ file: '/t/rules.xml', text: `<group name="test,">${xml}</group>` }], { semantics });
  assert.deepEqual(r.errors, []);
  return r.ruleset;
}

let n = 0;
function event(log: string, srcip: string): DecodedEvent {
  const at = new Date(T0).toISOString();
  return {
    v: 1, id: `a1:${n++}`, seq: n, agent: { id: 'a1', name: 'host' }, kind: 'log', location: '/var/log/auth.log',
    collectedAt: at, decodedAt: at, partition: 0, full_log: `Jan 10 12:00:00 host sshd[1]: ${log}`, log,
    predecoder: { timestamp: 'Jan 10 12:00:00', hostname: 'host', program_name: 'sshd' },
    decoder: { name: 'sshd', type: 'syslog' }, data: { srcip },
  };
}

/** The rule of each event, evaluated in order one second apart on one state. */
function ruleIds(rules: CompiledRuleset, events: readonly DecodedEvent[]): string[] {
  const state = newEngineState();
  return events.map((e, i) => evaluateEvent(rules, state, e, { managerName: 'm', now: T0 + i * 1000 }).ruleId ?? '-');
}

const FAIL = '<rule id="900" level="3"><match>fail</match><description>fail</description></rule>';
const frequencyRule = (frequency: number) =>
  `${FAIL}<rule id="910" level="10" frequency="${frequency}" timeframe="120"><if_matched_sid>900</if_matched_sid><description>many</description></rule>`;

test('frequency: Wazuh fires on the frequency-th matching event, OSSEC on the (frequency + 2)-th', () => {
  const fails = Array.from({ length: 8 }, (_, i) => event(`fail ${i}`, '192.0.2.1'));
  const firstFire = (rules: CompiledRuleset) => ruleIds(rules, fails).indexOf('910') + 1;
  assert.equal(firstFire(ruleset(frequencyRule(4), 'wazuh')), 4);
  assert.equal(firstFire(ruleset(frequencyRule(4), 'ossec')), 6);
  // OSSEC's own ruleset has frequency="0" (rule 2509) and frequency="1" (rule 5714): events 2 and 3 under OSSEC.
  assert.equal(firstFire(ruleset(frequencyRule(0), 'ossec')), 2);
  assert.equal(firstFire(ruleset(frequencyRule(1), 'ossec')), 3);
  // Under Wazuh's semantics they load with a warning and count as frequency 2.
  const loaded = loadRules([{ file: '/t/r.xml', text: `<group name="t,">${frequencyRule(1)}</group>` }]);
  assert.deepEqual(loaded.errors, []);
  assert.match(loaded.warnings[0]?.message ?? '', /rule 910: frequency="1" is below 2/);
  assert.equal(firstFire(ruleset(frequencyRule(1), 'wazuh')), 2);
});

test("the already-fired mark: OSSEC stops at it before comparing same_source_ip, Wazuh skips other sources' events", () => {
  // Both rules need one earlier event from the same source (Wazuh frequency 2 = OSSEC frequency 0).
  const rule = (frequency: number) =>
    `${FAIL}<rule id="910" level="10" frequency="${frequency}" timeframe="120"><if_matched_sid>900</if_matched_sid><same_source_ip /><description>many</description></rule>`;
  const events = [event('fail b1', '198.51.100.2'), event('fail a1', '192.0.2.1'), event('fail a2', '192.0.2.1'), event('fail b2', '198.51.100.2')];
  // a2 fires for source A, counting a1, which both mark. For b2, Wazuh passes over a1 (another source) and counts
  // b1: it fires again.
  assert.deepEqual(ruleIds(ruleset(rule(2), 'wazuh'), events), ['900', '900', '910', '910']);
  // OSSEC meets a1's mark first (newest first) and stops before looking at its source: b2 stays at 900.
  assert.deepEqual(ruleIds(ruleset(rule(0), 'ossec'), events), ['900', '900', '910', '900']);
});

test('OSSEC marks the newest event of the list on a match, even one of another source', () => {
  const rule = (frequency: number) =>
    `${FAIL}<rule id="910" level="10" frequency="${frequency}" timeframe="120"><if_matched_sid>900</if_matched_sid><same_source_ip /><description>many</description></rule>`;
  // a2 fires counting a1; the newest event of 900's list then is b1, which OSSEC marks too (Wazuh does not): b2
  // counts b1 under Wazuh and fires, but stops at b1's mark under OSSEC. b3 then counts b2 (unmarked) under OSSEC.
  const events = [event('fail a1', '192.0.2.1'), event('fail b1', '198.51.100.2'), event('fail a2', '192.0.2.1'), event('fail b2', '198.51.100.2'), event('fail b3', '198.51.100.2')];
  assert.deepEqual(ruleIds(ruleset(rule(2), 'wazuh'), events), ['900', '900', '910', '910', '910']);
  assert.deepEqual(ruleIds(ruleset(rule(0), 'ossec'), events), ['900', '900', '910', '900', '910']);
});

test('logtest: a rule matching inside its ignore window is shown by ossec-logtest (without an alert), not by wazuh-logtest', () => {
  const xml = '<rule id="920" level="5" ignore="60"><match>probe</match><description>probe</description></rule>';
  const run = (semantics: RuleSemantics) => {
    const session = logtestRulePhase(ruleset(xml, semantics), { managerName: 'm', semantics }).newSession();
    return [0, 10, 70].map((s) => {
      const r = session.evaluate(event('probe', '192.0.2.1'), new Date(T0 + s * 1000));
      return `${r.rule?.id ?? '-'}${r.alert ? ' alert' : ''}`;
    });
  };
  assert.deepEqual(run('wazuh'), ['920 alert', '-', '920 alert']);
  assert.deepEqual(run('ossec'), ['920 alert', '920', '920 alert']);
});

test("the engine: inside the ignore window Wazuh's analysisd reports the parent, OSSEC's drops the event", () => {
  const xml = `${FAIL}<rule id="921" level="6" ignore="60"><if_sid>900</if_sid><match>probe</match><description>probe</description></rule>`;
  const run = (semantics: RuleSemantics) => {
    const rules = ruleset(xml, semantics);
    const state = newEngineState();
    return [0, 10, 70].map((s) => evaluateEvent(rules, state, event('fail probe', '192.0.2.1'), { managerName: 'm', now: T0 + s * 1000 }).ruleId ?? '-');
  };
  assert.deepEqual(run('wazuh'), ['921', '900', '921']);
  assert.deepEqual(run('ossec'), ['921', '-', '921']);
});
