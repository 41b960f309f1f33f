import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_RULESET } from '@vigil/wazuh-format';
import { loadRulesetFiles } from '../src/adapters/rule-files.ts';
import { RulePool } from '../src/adapters/rule-pool.ts';
import type { MessageItem } from '../src/adapters/evaluate-messages.ts';
import { ownedPartitions } from '../src/config.ts';
import { bruteForceCorpus, bruteForceRuleOf } from './corpus.ts';

const PARTITIONS = 8;
const corpus = bruteForceCorpus(24_000, 40, PARTITIONS);
const items: MessageItem[] = corpus.map((e) => ({ data: JSON.stringify(e), agent: e.agent.id }));
const { ruleset } = loadRulesetFiles([BUILTIN_RULESET]);
const bruteForceRule = bruteForceRuleOf(ruleset);

/** Runs the corpus through pools in batches of 500 (as a consumer would); returns the alerts as JSON texts, in event order. */
async function alertsOf(pools: Array<{ pool: RulePool; partitions: Set<number> }>): Promise<string[]> {
  const out: Array<string | undefined> = new Array(items.length);
  for (const { pool, partitions } of pools) {
    // Each replica sees only its partitions, in the order of the stream.
    const mine = corpus.map((e, i) => [e, i] as const).filter(([e]) => partitions.has(e.partition));
    for (let b = 0; b < mine.length; b += 500) {
      const batch = mine.slice(b, b + 500);
      const results = await pool.evaluate(batch.map(([, i]) => items[i] as MessageItem));
      results.forEach((r, k) => {
        assert.notEqual(r.kind, 'dead-letter', JSON.stringify(r));
        if (r.kind === 'alert') out[(batch[k] as readonly [unknown, number])[1]] = r.json;
      });
    }
    await pool.close();
  }
  return out.filter((a): a is string => a !== undefined);
}

const pool = (workers: number) => new RulePool({ workers, ruleset, rulesets: [BUILTIN_RULESET], settings: { managerName: 'test', clock: 'event' } });
const all = new Set(Array.from({ length: PARTITIONS }, (_, p) => p));

test('the same corpus gives the same alerts with 1, 2 and 4 workers and with 2 replicas', async (t) => {
  assert.ok(corpus.length >= 20_000);
  const inThread = await alertsOf([{ pool: pool(0), partitions: all }]);
  const bruteForce = inThread.filter((a) => (JSON.parse(a) as { rule: { id: string } }).rule.id === bruteForceRule).length;
  t.diagnostic(`${corpus.length} events, ${inThread.length} alerts, ${bruteForce} brute-force (rule ${bruteForceRule}) alerts`);
  assert.ok(bruteForce >= 10, 'the bursts raise the frequency rule');
  for (const workers of [1, 2, 4]) {
    const got = await alertsOf([{ pool: pool(workers), partitions: all }]);
    assert.deepEqual(got, inThread, `${workers} workers`);
  }
  const replicas = [0, 1].map((index) => ({
    pool: pool(2),
    partitions: new Set(ownedPartitions({ rulesets: [], partitions: 'all', workers: 2, clock: 'event', alertLevel: 3, semantics: 'wazuh', replica: { index, count: 2 } }, PARTITIONS)),
  }));
  assert.deepEqual(await alertsOf(replicas), inThread, '2 replicas');
});
