import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RawEvent } from '@vigil/common';
import { BUILTIN_RULESET, decodeEvent, loadDecoderFiles } from '@vigil/decoder';
import { logtestRules } from './logtest-rules.ts';
import { ruleFiles } from '@vigil/wazuh-format';

test('the logtest rule phase: rule object even at level 0, alert when generated, state per session', () => {
  const sources = ruleFiles(BUILTIN_RULESET).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const rules = logtestRules.load(sources, 'manager', () => new Date(Date.UTC(2024, 0, 10, 12)));
  assert.deepEqual(rules.errors, []);
  const decoders = loadDecoderFiles(['builtin']).set;
  const decode = (log: string, seq: number) => {
    const raw: RawEvent = { v: 1, id: `logtest:${seq}`, seq, agent: { id: '000', name: 'manager' }, kind: 'log', location: 'stdin', collectedAt: new Date(Date.UTC(2024, 0, 10, 12)).toISOString(), log };
    return decodeEvent(raw, { partitions: 1, now: new Date(), decoders });
  };
  const line = (i: number) => `Jan 10 12:00:0${i % 10} web01 sshd[42]: Failed password for alice from 198.51.100.9 port ${4000 + i} ssh2`;
  const session = rules.newSession();
  const first = session(decode(line(0), 0));
  assert.equal(first.rule?.['id'], '200100');
  assert.equal(first.rule?.['level'], 5);
  assert.equal(first.rule?.['firedtimes'], 1);
  assert.ok(Array.isArray(first.rule?.['groups']));
  assert.equal(first.alert?.rule.id, '200100');
  const ids = [1, 2, 3, 4, 5, 6, 7].map((i) => session(decode(line(i), i)).rule?.['id']);
  assert.notEqual(ids[6], '200100', 'the 8th failure in the session raises the brute-force rule');
  const other = rules.newSession();
  assert.equal(other(decode(line(8), 8)).rule?.['id'], '200100', 'a new session starts with no history');
  assert.deepEqual(other(decode('Jan 10 12:00:00 web01 nothing: at all', 9)), { rule: null });
});
