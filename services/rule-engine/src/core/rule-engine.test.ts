import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedEvent } from '@vigil/common';
import { loadRules } from './load-rules.ts';
import { evaluateEvent, newEngineState, type EvaluateOptions } from './rule-engine.ts';
import type { CompiledRuleset } from './rule-types.ts';

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0); // a Wednesday, 12:00 UTC

function ruleset(xml: string, lists: Array<{ name: string; text: string }> = []): CompiledRuleset {
  const r = loadRules([{ file: '/t/rules.xml', text: xml }], { lists: lists.map((l) => ({ ...l, file: `/t/lists/${l.name}` })) });
  assert.deepEqual(r.errors, []);
  return r.ruleset;
}

let n = 0;
function event(log: string, data: Record<string, string> = {}, options: { agent?: string; decoder?: string; program?: string; at?: number } = {}): DecodedEvent {
  const agent = options.agent ?? 'a1';
  const at = new Date(options.at ?? T0).toISOString();
  return {
    v: 1,
    id: `${agent}:${n++}`,
    seq: n,
    agent: { id: agent, name: `host-${agent}` },
    kind: 'log',
    location: '/var/log/auth.log',
    collectedAt: at,
    decodedAt: at,
    partition: 0,
    full_log: `Jan 10 12:00:00 host ${options.program ?? 'sshd'}[1]: ${log}`,
    log,
    predecoder: { timestamp: 'Jan 10 12:00:00', hostname: 'host', program_name: options.program ?? 'sshd' },
    decoder: { name: options.decoder ?? 'sshd', type: 'syslog' },
    data,
  };
}

const opts = (at = T0): EvaluateOptions => ({ managerName: 'm', now: at });

const SSHD = `
<group name="syslog,sshd,">
  <rule id="5700" level="0"><decoded_as>sshd</decoded_as><description>sshd</description></rule>
  <rule id="5710" level="5"><if_sid>5700</if_sid><match>Failed password</match>
    <description>failed password for $(srcuser) from $(srcip)</description>
    <mitre><id>T1110</id></mitre>
    <group>authentication_failed,pci_dss_10.2.4,gdpr_IV_35.7.d,pci_dss_10.2.5,</group></rule>
  <rule id="5711" level="0"><if_sid>5710</if_sid><user>ignored</user><description>ignored user</description></rule>
  <rule id="5712" level="10" frequency="4" timeframe="120"><if_matched_sid>5710</if_matched_sid><same_source_ip /><description>brute force</description></rule>
</group>`;

test('the deepest match wins, level-0 children are tried first and match without alerting', () => {
  const rs = ruleset(SSHD);
  const state = newEngineState();
  const hit = evaluateEvent(rs, state, event('Failed password for bob', { srcuser: 'bob', srcip: '1.2.3.4' }), opts());
  assert.equal(hit.ruleId, '5710');
  assert.equal(hit.alert?.rule.description, 'failed password for bob from 1.2.3.4');
  const quiet = evaluateEvent(rs, state, event('Failed password for ignored', { dstuser: 'ignored', srcip: '1.2.3.4' }), opts());
  assert.equal(quiet.ruleId, '5711');
  assert.equal(quiet.level, 0);
  assert.equal(quiet.alert, undefined);
  assert.equal(evaluateEvent(rs, state, event('Accepted password'), opts()).ruleId, '5700', 'the level-0 group rule itself');
  assert.deepEqual(evaluateEvent(rs, state, event('Accepted password', {}, { decoder: 'other' }), opts()), {}, 'no rule');
});

test('the alert has the Wazuh shape: compliance out of the groups, mitre, deterministic id', () => {
  const rs = ruleset(SSHD);
  const ev = event('Failed password for bob', { srcuser: 'bob', srcip: '1.2.3.4' });
  const a = evaluateEvent(rs, newEngineState(), ev, opts()).alert;
  const b = evaluateEvent(rs, newEngineState(), ev, opts()).alert;
  assert.deepEqual(a, {
    timestamp: '2024-01-10T12:00:00.000+0000',
    rule: {
      level: 5,
      description: 'failed password for bob from 1.2.3.4',
      id: '5710',
      mitre: { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] },
      firedtimes: 1,
      mail: false,
      groups: ['syslog', 'sshd', 'authentication_failed'],
      pci_dss: ['10.2.4', '10.2.5'],
      gdpr: ['IV_35.7.d'],
    },
    agent: { id: 'a1', name: 'host-a1' },
    manager: { name: 'm' },
    id: a?.id,
    full_log: ev.full_log,
    predecoder: ev.predecoder,
    decoder: { name: 'sshd' },
    data: { srcip: '1.2.3.4', srcuser: 'bob' },
    location: '/var/log/auth.log',
  });
  assert.match(a?.id ?? '', /^1704888000\.\d+$/);
  assert.equal(a?.id, b?.id, 'a redelivered event gets the same alert id');
  assert.deepEqual(Object.keys(a?.rule ?? {}), ['level', 'description', 'id', 'mitre', 'firedtimes', 'mail', 'groups', 'pci_dss', 'gdpr']);
});

test('frequency + same_source_ip: fires on the 4th event, then needs fresh events; per agent; previous_output', () => {
  const rs = ruleset(SSHD);
  const state = newEngineState();
  const fail = (i: number, ip: string, agent = 'a1') =>
    evaluateEvent(rs, state, event(`Failed password ${i}`, { srcip: ip }, { agent, at: T0 + i * 1000 }), opts(T0 + i * 1000));
  assert.deepEqual([0, 1, 2].map((i) => fail(i, '1.1.1.1').ruleId), ['5710', '5710', '5710']);
  assert.equal(fail(3, '2.2.2.2').ruleId, '5710', 'another address does not count');
  assert.equal(fail(4, '1.1.1.1', 'a2').ruleId, '5710', 'another agent does not count');
  const fired = fail(5, '1.1.1.1');
  assert.equal(fired.ruleId, '5712');
  assert.equal(fired.alert?.previous_output, 'Jan 10 12:00:00 host sshd[1]: Failed password 2\nJan 10 12:00:00 host sshd[1]: Failed password 1\nJan 10 12:00:00 host sshd[1]: Failed password 0');
  assert.equal(fired.alert?.rule.frequency, 4);
  // The stop marker: the counted events cannot fire again; three fresh ones (6, 7, 8) and the 4th do.
  assert.deepEqual([6, 7, 8, 9].map((i) => fail(i, '1.1.1.1').ruleId), ['5710', '5710', '5710', '5712']);
  // Out of the window (120 s) of the marked event, fresh events fire again.
  assert.deepEqual([200, 201, 202, 203].map((i) => fail(i, '1.1.1.1').ruleId), ['5710', '5710', '5710', '5712']);
});

test('if_matched_group, different_* and same_field', () => {
  const rs = ruleset(`
<group name="test,">
  <rule id="800" level="3"><match>login failed</match><group>auth_fail,</group><description>f</description></rule>
  <rule id="801" level="3"><match>denied</match><group>auth_fail,</group><description>d</description></rule>
  <rule id="802" level="9" frequency="3" timeframe="60"><if_matched_group>auth_fail</if_matched_group><different_srcuser /><description>many users</description></rule>
  <rule id="810" level="3"><match>job</match><description>job</description></rule>
  <rule id="811" level="7" frequency="2" timeframe="60"><if_matched_sid>810</if_matched_sid><same_field>job.id</same_field><description>same job twice</description></rule>
</group>`);
  const state = newEngineState();
  const ev = (log: string, data: Record<string, string>, i: number) => evaluateEvent(rs, state, event(log, data, { decoder: 'x', at: T0 + i }), opts(T0 + i)).ruleId;
  assert.equal(ev('login failed', { srcuser: 'a' }, 1), '800');
  assert.equal(ev('denied', { srcuser: 'a' }, 2), '801');
  assert.equal(ev('denied', { srcuser: 'a' }, 3), '801', 'the earlier events have the same user: skipped');
  assert.equal(ev('login failed', { srcuser: 'c' }, 4), '802');
  assert.equal(ev('job', { 'job.id': '1' }, 5), '810');
  assert.equal(ev('job', { 'job.id': '2' }, 6), '810');
  assert.equal(ev('job', { 'JOB.ID': '1' }, 7), '811', 'dynamic field names compare case-insensitively');
});

test('CDB lists, address lists, negated fields, time and weekday', () => {
  const rs = ruleset(
    `<group name="t,">
  <rule id="900" level="0"><decoded_as>x</decoded_as><description>root</description></rule>
  <rule id="901" level="12"><if_sid>900</if_sid><list field="srcip" lookup="address_match_key">etc/lists/bad-ips</list><description>bad ip</description></rule>
  <rule id="902" level="6"><if_sid>900</if_sid><list field="user" lookup="match_key_value" check_value="^admin">etc/lists/users</list><description>admin user</description></rule>
  <rule id="903" level="4"><if_sid>900</if_sid><srcip>10.0.0.0/8</srcip><srcip>!10.9.0.0/16</srcip><description>internal</description></rule>
  <rule id="904" level="3"><if_sid>900</if_sid><status negate="yes">^ok$</status><description>not ok</description></rule>
  <rule id="909" level="3"><if_sid>900</if_sid><dstip>!10.0.0.0/8</dstip><description>external destination</description></rule>
  <rule id="905" level="2"><if_sid>900</if_sid><time>6 pm - 8:30 am</time><description>night</description></rule>
  <rule id="906" level="2"><if_sid>900</if_sid><weekday>weekends</weekday><description>weekend</description></rule>
  <rule id="907" level="1"><if_sid>900</if_sid><match>x</match><description>other</description></rule>
</group>`,
    [
      { name: 'bad-ips', text: '192.168.1.:\n"203.0.113.9":evil\n' },
      { name: 'users', text: 'alice:admin-team\nbob:staff\n' },
    ],
  );
  const st = newEngineState();
  const id = (data: Record<string, string>, at = T0) => evaluateEvent(rs, st, event('x', data, { decoder: 'x', at }), opts(at)).ruleId;
  assert.equal(id({ srcip: '192.168.1.77' }), '901');
  assert.equal(id({ srcip: '203.0.113.9' }), '901');
  assert.equal(id({ srcuser: 'alice' }), '902');
  assert.equal(id({ srcuser: 'bob' }), '907');
  assert.equal(id({ srcip: '10.1.2.3' }), '903');
  assert.equal(id({ srcip: '10.9.2.3' }), '903', 'the first entry holding the address decides (Wazuh)');
  assert.equal(id({ dstip: '8.8.8.8' }), '909');
  assert.equal(id({ dstip: '10.1.1.1' }), '907');
  assert.equal(id({ dstip: 'not-an-ip' }), '907');
  assert.equal(id({ status: 'failed' }), '904');
  assert.equal(id({ status: 'ok' }), '907');
  assert.equal(id({}, Date.UTC(2024, 0, 10, 22, 0)), '905', 'at night');
  assert.equal(id({}, Date.UTC(2024, 0, 13, 12, 0)), '906', 'on a Saturday');
  assert.equal(id({}), '907');
});

test('ignore: within the window the parent is reported (analysisd) or nothing (logtest)', () => {
  const rs = ruleset(`<group name="t,">
  <rule id="950" level="3"><match>boom</match><description>parent</description></rule>
  <rule id="951" level="8" ignore="60"><if_sid>950</if_sid><match>boom!</match><description>child</description></rule>
</group>`);
  const st = newEngineState();
  const at = (s: number, mode?: 'drop') => evaluateEvent(rs, st, event('boom!', {}, { decoder: 'x' }), { ...opts(T0 + s * 1000), ...(mode ? { ignoreMode: mode } : {}) }).ruleId;
  assert.equal(at(0), '951');
  assert.equal(at(10), '950');
  assert.equal(at(20, 'drop'), undefined);
  assert.equal(at(61), '951');
});

test('GeoIP conditions use the configured lookup on srcip/dstip', () => {
  const r = loadRules([{ file: '/t/geo.xml', text: '<group name="t,">\n<rule id="990" level="3"><srcgeoip type="osregex">CF / Haut\\pMbomou</srcgeoip><description>geo</description></rule>\n</group>' }], { geoip: true });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  const geoLookup = (ip: string) => (ip === '41.78.120.9' ? 'CF / Haut-Mbomou' : undefined);
  const ev = (ip: string) => evaluateEvent(r.ruleset, newEngineState(), event('x', { srcip: ip }, { decoder: 'x' }), { ...opts(), geoLookup }).ruleId;
  assert.equal(ev('41.78.120.9'), '990');
  assert.equal(ev('194.69.224.10'), undefined);
});

test('check_diff: the first output is stored, a changed one alerts with previous_output', () => {
  const rs = ruleset(`<group name="ossec,">
  <rule id="530" level="0"><match>^ossec: output: </match><description>command output</description></rule>
  <rule id="533" level="7"><if_sid>530</if_sid><match>netstat</match><check_diff /><description>Listened ports status (netstat) changed.</description></rule>
</group>`);
  const st = newEngineState();
  const out = (ports: string) => evaluateEvent(rs, st, event(`ossec: output: 'netstat': ${ports}`, {}, { decoder: 'x' }), opts());
  assert.equal(out('22').ruleId, '530', 'the first output is only stored');
  assert.equal(out('22').ruleId, '530', 'unchanged');
  const changed = out('22 80');
  assert.equal(changed.ruleId, '533');
  assert.equal(changed.alert?.previous_output, "Previous output:\nossec: output: 'netstat': 22");
});

test('decoded data that is not text (an enricher may publish numbers) compares as its text and never fails a check', () => {
  const rs = ruleset(`
<group name="syslog,">
  <rule id="100" level="0"><decoded_as>sshd</decoded_as><description>sshd</description></rule>
  <rule id="101" level="5"><if_sid>100</if_sid><user>^1001$</user><srcport>^22$</srcport><description>uid $(dstuser) port $(srcport)</description></rule>
  <rule id="102" level="6"><if_sid>100</if_sid><field name="count">^3$</field><list field="user" lookup="match_key">etc/lists/uids</list><description>listed uid</description></rule>
</group>`, [{ name: 'uids', text: '7:seven\n' }]);
  const data = { dstuser: 1001, srcport: 22 } as unknown as Record<string, string>;
  const hit = evaluateEvent(rs, newEngineState(), event('numbers', data), opts());
  assert.equal(hit.ruleId, '101');
  assert.equal(hit.alert?.rule.description, 'uid 1001 port 22');
  const listed = evaluateEvent(rs, newEngineState(), event('numbers', { count: 3, srcuser: 7 } as unknown as Record<string, string>), opts());
  assert.equal(listed.ruleId, '102');
});
