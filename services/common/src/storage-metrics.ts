import type { MetricsRegistry } from './metrics.ts';
import type { BudgetObservation } from './storage-budget.ts';

/** The gauges of one store: use, budget, fill ratio and growth rate, labelled by kind of store and name. */
export function recordStorageMetrics(registry: MetricsRegistry, o: BudgetObservation): void {
  const labels = { store: o.use.store, name: o.use.name };
  registry.set('vigil_storage_used_bytes', 'Bytes a store uses on disk', labels, o.use.usedBytes);
  registry.set('vigil_storage_budget_bytes', 'Disk budget of a store in bytes (0 = none)', labels, Math.max(0, o.use.budgetBytes));
  registry.set('vigil_storage_used_ratio', 'Used bytes / budget (alerts at 0.8 and 0.95)', labels, o.ratio);
  registry.set('vigil_storage_growth_bytes_per_second', 'Growth of a store over the last 15 minutes (negative when shrinking)', labels, o.growthBytesPerSecond);
}
