import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from './load-rules.ts';
import { nameMitre } from './mitre-attack.ts';

test('technique ids get their ATT&CK technique and tactic names, as in Wazuh alerts', () => {
  const n = nameMitre(['T1110', 'T1021.004'], []);
  assert.deepEqual(n.id, ['T1110', 'T1021.004']);
  assert.deepEqual(n.technique, ['Brute Force', 'SSH']);
  assert.deepEqual(n.tactic, ['Credential Access', 'Lateral Movement']);
  assert.deepEqual(n.problems, []);
});

test('explicit tactic ids name the tactics; unknown and revoked ids are reported', () => {
  assert.deepEqual(nameMitre(['T1110'], ['TA0006']).tactic, ['Credential Access']);
  const n = nameMitre(['T1002', 'T9999'], []);
  assert.deepEqual(n.technique, ['Data Compressed']);
  assert.match(n.problems[0] ?? '', /T1002.*revoked/);
  assert.match(n.problems[1] ?? '', /T9999.*not in ATT&CK/);
});

test('a rule carries the names in rule.mitre; a revoked id is a load warning naming the rule', () => {
  const xml = `<group name="t,">
  <rule id="900001" level="5"><match>x</match><description>brute</description><mitre><id>T1110</id></mitre></rule>
  <rule id="900002" level="5"><match>y</match><description>old</description><mitre><id>T1002</id></mitre></rule>
</group>`;
  const r = loadRules([{ file: '/t/mitre.xml', text: xml }], {});
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.ruleset.byId.get('900001')?.mitre, { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] });
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]?.message ?? '', /rule 900002: ATT&CK technique 'T1002' \(Data Compressed\) is revoked/);
});
