import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeUse, formatBytes, newBudgetWatch, observeUse, timeToFull, type StoreUse } from './storage-budget.ts';
import { STORAGE_RULES, storageAlert } from './storage-alert.ts';
import { validators } from './schemas/mod.ts';

const MiB = 1024 * 1024;
const use = (usedBytes: number, budgetBytes = 100 * MiB): StoreUse => ({ store: 'stream', name: 'HIDS_RAW', usedBytes, budgetBytes });

test('a threshold raises one observation when crossed, and again only after the use fell back below it', () => {
  const watch = newBudgetWatch();
  const crossed = [50, 79, 81, 85, 90, 96, 97, 93, 88, 96, 70, 82].map((mb, i) => observeUse(watch, use(mb * MiB), i * 60_000).crossed);
  // 93% stays within 5% of 95%: no new alert; 88% left it, so 96% alerts again; 70% left 80%, so 82% alerts again.
  assert.deepEqual(crossed, [undefined, undefined, 0.8, undefined, undefined, 0.95, undefined, undefined, undefined, 0.95, undefined, 0.8]);
});

test('no budget: never crossed, ratio 0', () => {
  const o = observeUse(newBudgetWatch(), use(500 * MiB, -1), 0);
  assert.equal(o.ratio, 0);
  assert.equal(o.crossed, undefined);
});

test('the growth rate is measured over the last 15 minutes of samples', () => {
  const watch = newBudgetWatch();
  observeUse(watch, use(0), 0);
  observeUse(watch, use(10 * MiB), 10 * 60_000);
  const o = observeUse(watch, use(30 * MiB), 20 * 60_000);
  // The sample at 0 is older than 15 minutes: the rate is over 10 → 20 minutes.
  assert.equal(o.growthBytesPerSecond, (20 * MiB) / 600);
  assert.equal(timeToFull(o.use, o.growthBytesPerSecond), ((70 * MiB) / ((20 * MiB) / 600)) * 1000);
  assert.equal(describeUse(o), 'stream HIDS_RAW: 30 MiB of 100 MiB (30%), grows 120 MiB/h');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(1024 ** 3), '1 GiB');
});

test('the storage alert is a valid Wazuh-shape alert naming the store, its fill and growth, with a stable id', () => {
  const watch = newBudgetWatch();
  observeUse(watch, use(60 * MiB), 0);
  const o = observeUse(watch, use(96 * MiB), 600_000);
  assert.equal(o.crossed, 0.95);
  const alert = storageAlert({ ...o, crossed: 0.95 }, { managerName: 'vigil', now: 600_000, discard: 'new' });
  assert.doesNotThrow(() => validators.alert.parse(new TextEncoder().encode(JSON.stringify(alert))));
  assert.equal(alert.rule.id, STORAGE_RULES.critical.id);
  assert.equal(alert.rule.level, STORAGE_RULES.critical.level);
  assert.equal(alert.agent.id, '000');
  assert.match(alert.rule.description, /^Vigil storage: the stream HIDS_RAW is at 96% of its 100 MiB budget \(grows 216 MiB\/h, full in about 1 min\); at the budget new messages are refused and wait upstream$/);
  assert.deepEqual(alert.data?.['vigil'], { store: 'stream', name: 'HIDS_RAW', used_bytes: 96 * MiB, budget_bytes: 100 * MiB, percent: 96, growth_bytes_per_hour: 216 * MiB, threshold: 0.95, discard: 'new' });
  // Two replicas seeing the same crossing within the minute publish the same id (one alert, by Nats-Msg-Id).
  assert.equal(storageAlert({ ...o, crossed: 0.95 }, { managerName: 'vigil', now: 610_000 }).id, alert.id);
});
