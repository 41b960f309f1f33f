import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedEvent } from '@vigil/common';
import { rulesetTree } from '@vigil/wazuh-format/testing';
import { RulePool } from './rule-pool.ts';
import { loadRulesetFiles, readRuleRuleset } from './rule-files.ts';
import type { ItemResult } from './evaluate-messages.ts';

const RULES = `<group name="sshd,">
  <rule id="100100" level="5"><decoded_as>sshd</decoded_as><match>Failed password</match><description>failed</description></rule>
  <rule id="100101" level="10" frequency="3" timeframe="300"><if_matched_sid>100100</if_matched_sid><same_source_ip/><description>brute force</description></rule>
</group>
`;

let n = 0;
function failure(): { data: string; agent: string } {
  const at = new Date().toISOString();
  const e: DecodedEvent = {
    v: 1, id: `a1:${n++}`, seq: n, agent: { id: 'a1', name: 'host-a1' }, kind: 'log', location: '/var/log/auth.log', collectedAt: at, decodedAt: at, partition: 0,
    full_log: 'Jan 10 12:00:00 host sshd[1]: Failed password for root from 192.0.2.9', log: 'Failed password for root from 192.0.2.9',
    predecoder: { timestamp: 'Jan 10 12:00:00', hostname: 'host', program_name: 'sshd' }, decoder: { name: 'sshd', type: 'syslog' }, data: { srcip: '192.0.2.9' },
  };
  return { data: JSON.stringify(e), agent: 'a1' };
}

const summary = (r: ItemResult) => (r.kind === 'alert' ? { rule: r.rule, ruleset: (JSON.parse(r.json) as { vigil?: { ruleset?: string } }).vigil?.ruleset } : r.kind);

for (const workers of [0, 1]) {
  test(`RulePool.reload (${workers} worker threads): the next batch runs on the new ruleset, with the state of unchanged rules`, async (t) => {
    const dir = rulesetTree({ 'rules/local.xml': RULES });
    const { loaded } = loadRulesetFiles([dir]);
    const pool = new RulePool({ workers, ruleset: loaded.ruleset, rulesets: [dir], loaded, settings: { managerName: 'm', clock: 'processing' } });
    t.after(() => pool.close());
    assert.deepEqual((await pool.evaluate([failure(), failure()])).map(summary), [
      { rule: '100100', ruleset: loaded.hash },
      { rule: '100100', ruleset: loaded.hash },
    ]);
    const next = readRuleRuleset([rulesetTree({ 'rules/local.xml': RULES, 'rules/other.xml': '<group name="o,"><rule id="100300" level="3"><match>unrelated</match><description>o</description></rule></group>\n' })]).compile();
    assert.deepEqual(next.errors, []);
    await pool.reload(next.value);
    assert.notEqual(next.value.hash, loaded.hash);
    assert.deepEqual((await pool.evaluate([failure()])).map(summary), [{ rule: '100101', ruleset: next.value.hash }], 'the brute force spans the reload');
  });
}
