import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RawEvent } from '@vigil/common';
import { decodeEvent, loadDecoderFiles } from '@vigil/decoder';
import { readOssecConfRuleset } from '@vigil/wazuh-format';
import { ossecInstall, ossecRulesetDir, rulesetTree } from '@vigil/wazuh-format/testing';
import { loadRules } from '../core/load-rules.ts';
import { evaluateEvent, newEngineState } from '../core/rule-engine.ts';
import { loadRulesetFiles } from './rule-files.ts';

const OSSEC = ossecRulesetDir();
const skip = OSSEC ? false : 'OSSEC 3.3.0 ruleset not found (../shared/ossec-ruleset or $OSSEC_RULESET_DIR)';
if (skip) console.log(`# skipped: ${skip}`);

test("OSSEC 3.3.0's ruleset loads through its rules.template include order with zero errors", { skip }, () => {
  const conf = ossecInstall(OSSEC as string);
  const decoders = loadDecoderFiles([], { ossecConf: conf });
  assert.deepEqual(decoders.errors, []);
  for (const semantics of ['wazuh', 'ossec'] as const) {
    const rules = loadRulesetFiles([], { ossecConf: conf, semantics });
    assert.deepEqual(rules.errors, []);
    assert.ok(rules.ruleset.byId.size > 900, `${rules.ruleset.byId.size} rules`);
    // The three quirks OSSEC accepts are warnings.
    const warned = rules.warnings.map((w) => w.message);
    assert.ok(warned.some((m) => m.startsWith('rule 13106: has no <description>')));
    if (semantics === 'wazuh') assert.ok(warned.some((m) => m.startsWith('rule 2509: frequency="0"')) && warned.some((m) => m.startsWith('rule 5714: frequency="1"')));
  }
  // Only the include order works: by file name, later files' if_sid would name rules not loaded yet.
  const byName = loadRules(readOssecConfRuleset(conf).rules);
  assert.ok(byName.errors.length > 0, 'loading by file name fails');

  const { ruleset } = loadRulesetFiles([], { ossecConf: conf });
  const at = new Date(Date.UTC(2026, 11, 2, 10));
  const raw: RawEvent = {
    v: 1, id: 'a:1', seq: 1, agent: { id: '000', name: 'm' }, kind: 'log', location: 'stdin', collectedAt: at.toISOString(),
    log: 'Dec  2 10:00:00 host sshd[42]: Failed password for invalid user bob from 198.51.100.9 port 4000 ssh2',
  };
  const event = decodeEvent(raw, { partitions: 1, now: at, decoders: decoders.set });
  assert.equal(event.decoder?.name, 'sshd');
  assert.equal(evaluateEvent(ruleset, newEngineState(), event, { managerName: 'm', now: at.getTime() }).ruleId, '5710');
});

test('a CDB list of the configuration is the list its rules name', () => {
  const base = rulesetTree({
    'etc/decoder.xml': '<decoder name="app"><prematch>^app: </prematch><regex offset="after_prematch">^user (\\S+)</regex><order>user</order></decoder>',
    'etc/lists/blocked-users': 'mallory:\n',
    'rules/app_rules.xml': `<group name="app,"><rule id="100100" level="0"><decoded_as>app</decoded_as><description>app</description></rule>
<rule id="100101" level="10"><if_sid>100100</if_sid><list field="user" lookup="match_key">etc/lists/blocked-users</list><description>blocked user</description></rule></group>`,
    'etc/ossec.conf': '<ossec_config><rules><list>etc/lists/blocked-users</list><include>app_rules.xml</include></rules></ossec_config>',
  });
  const conf = join(base, 'etc', 'ossec.conf');
  const { ruleset } = loadRulesetFiles([], { ossecConf: conf });
  const decoders = loadDecoderFiles([], { ossecConf: conf }).set;
  const at = new Date(Date.UTC(2026, 0, 1));
  const rule = (log: string) => {
    const raw: RawEvent = { v: 1, id: 'a:1', seq: 1, agent: { id: '000', name: 'm' }, kind: 'log', location: 'stdin', collectedAt: at.toISOString(), log };
    return evaluateEvent(ruleset, newEngineState(), decodeEvent(raw, { partitions: 1, now: at, decoders }), { managerName: 'm', now: at.getTime() }).ruleId;
  };
  assert.equal(rule('app: user mallory'), '100101');
  assert.equal(rule('app: user alice'), '100100');
});
