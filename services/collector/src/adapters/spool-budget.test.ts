import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, processMetrics } from '@vigil/common';
import { SpoolStore } from './spool-store.ts';
import { startSpoolBudget } from './spool-budget.ts';

test('a spool passing 80% of its bound spools one storage_budget notice and sets its gauges', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-spool-budget-'));
  const maxBytes = 100_000;
  const spool = new SpoolStore(join(dir, 'spool-a1.db'), { id: 'a1', name: 'h1' }, maxBytes);
  const budget = startSpoolBudget({ spool, maxBytes, logger: createLogger({ level: 'silent' }), intervalMs: 3_600_000 });
  t.after(() => {
    budget.stop();
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const line = (i: number) => ({ kind: 'log' as const, location: '/var/log/app.log', log: `line ${i} ${'q'.repeat(400)}` });
  let i = 0;
  while (spool.depth().bytes < maxBytes * 0.5) spool.append([line(i++)]);
  assert.equal(budget.check().crossed, undefined);
  while (spool.depth().bytes < maxBytes * 0.82) spool.append([line(i++)]);
  const o = budget.check();
  assert.equal(o.crossed, 0.8);
  assert.equal(budget.check().crossed, undefined, 'once');
  const last = spool.peek(100_000).at(-1);
  const notice = JSON.parse(last?.data ?? '{}') as { location: string; log: string; payload: { collector: Record<string, unknown> } };
  assert.equal(notice.location, 'vigil-collector');
  assert.match(notice.log, /^vigil-collector: storage_budget: '.*spool-a1\.db': warning: spool .*spool-a1\.db: \S+ KiB of 97.7 KiB \(8\d%\), grows .*; at the budget sources pause$/);
  assert.equal(notice.payload.collector['level'], 'warning');
  assert.equal(notice.payload.collector['budget_bytes'], maxBytes);
  assert.equal(processMetrics.get('vigil_storage_budget_bytes', { store: 'spool', name: spool.path }), maxBytes);
  assert.ok((processMetrics.get('vigil_storage_used_ratio', { store: 'spool', name: spool.path }) ?? 0) >= 0.8);
});
