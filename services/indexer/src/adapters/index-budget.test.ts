import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger, MetricsRegistry, type BudgetObservation } from '@vigil/common';
import { openAlertsReadOnly, SqliteAlertStore } from './sqlite-store.ts';
import { startIndexBudget } from './index-budget.ts';
import { sshAlert, T0 } from '../../test/alert-fixtures.ts';

const logger = createLogger({ level: 'silent' });
const MiB = 1024 * 1024;

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

test('a small SQLite budget: the oldest alerts go, the file stays bounded, queries answer throughout, counts stay exact', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-budget-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'alerts.db');
  const maxBytes = 4 * MiB;
  const share = Math.floor(maxBytes / 20);
  const store = new SqliteAlertStore(path, { walLimitBytes: share, walAutocheckpointPages: Math.floor(share / 4096) });
  const registry = new MetricsRegistry();
  const observations: BudgetObservation[] = [];
  const budget = startIndexBudget({ store, logger, maxBytes, intervalMs: 3_600_000, registry, onObservation: (o) => void observations.push(o) });
  // The query API's own read-only connection, as in production.
  const reader = openAlertsReadOnly(path);
  t.after(async () => {
    await budget.stop();
    reader.close();
    store.close();
  });

  const total = 8_000;
  const batch = 50;
  let maxSeen = 0;
  let lastFile = 0;
  let shrank = false;
  for (let n = 0; n < total; n += batch) {
    // Long lines, so a few MB fill with a few thousand alerts.
    store.write(Array.from({ length: batch }, (_, k) => sshAlert(n + k, { full_log: `sshd[${n + k}]: Invalid user admin${n + k} ${'x'.repeat(600)}` })));
    budget.afterWrite();
    await new Promise((r) => setImmediate(r)); // the clean-up runs between batches, as between indexing batches
    // Queries answer while the index is cleaned up: the newest alert is always there.
    const newest = reader.query({ limit: 1 })[0];
    assert.equal(newest?.id, sshAlert(n + batch - 1).id, `newest alert after batch ${n / batch}`);
    maxSeen = Math.max(maxSeen, fileBytes(path) + fileBytes(`${path}-wal`));
    if (fileBytes(path) < lastFile) shrank = true;
    lastFile = fileBytes(path);
  }
  const last = await budget.check();

  const kept = store.count();
  assert.ok(kept > 0 && kept < total, `some alerts removed (kept ${kept} of ${total})`);
  // The oldest went first: what is left is exactly the newest `kept`.
  const oldestKept = reader.query({ limit: 1, order: 'asc' })[0];
  assert.equal(oldestKept?.id, sshAlert(total - kept).id, 'the oldest alerts were removed, the newest kept');
  assert.equal(reader.count({}), kept);
  // Bounded: file and WAL never above the budget; the file really shrank (incremental vacuum).
  assert.ok(maxSeen <= maxBytes, `file + WAL peaked at ${maxSeen} bytes, budget ${maxBytes}`);
  assert.ok(shrank, 'the database file shrank after removals');
  assert.ok(last.use.usedBytes <= maxBytes, `${last.use.usedBytes} bytes in use at the end, budget ${maxBytes}`);
  assert.equal(store.db.pragma('auto_vacuum', { simple: true }), 2, 'incremental auto-vacuum');
  // Hourly counts follow the removals: the rollup agrees with the alerts that are left.
  const byRule = (useRollup: boolean) => reader.aggregate({ by: 'rule', filters: { since: T0 - 3_600_000, until: T0 + 10 * 3_600_000 } }, { useRollup });
  assert.deepEqual(byRule(true), byRule(false));
  assert.equal(byRule(true)[0]?.count, kept);
  // The tag index and FTS rows of removed alerts went with them.
  const tagged = store.db.prepare("SELECT count(*) FROM alert_tags WHERE tag = 'group:sshd'").pluck().get();
  assert.equal(tagged, kept);
  assert.equal(reader.count({ text: 'admin0' }), 0, 'FTS rows of removed alerts are gone');
  // The metric and the alert observation: store, fill, budget.
  assert.equal(registry.get('vigil_storage_budget_bytes', { store: 'index', name: path }), maxBytes);
  assert.ok((registry.get('vigil_storage_used_ratio', { store: 'index', name: path }) ?? 0) > 0.5);
  assert.ok(observations.some((o) => o.crossed === 0.8), 'the 80% threshold was crossed once');
  assert.equal(observations.filter((o) => o.crossed !== undefined).length, 1, 'one alert, not one per check');
});

test('an index file written before budgets is rewritten once for incremental vacuum, keeping its alerts', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-budget-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'old.db');
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  old.exec('CREATE TABLE placeholder (x)');
  old.close();
  const first = new SqliteAlertStore(path);
  assert.equal(first.vacuumedForBudget, true);
  first.write([sshAlert(1)]);
  first.close();
  const again = new SqliteAlertStore(path);
  t.after(() => again.close());
  assert.equal(again.vacuumedForBudget, false, 'only once');
  assert.equal(again.db.pragma('auto_vacuum', { simple: true }), 2);
  assert.equal(again.count(), 1);
});
