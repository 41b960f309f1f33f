import type { Alert } from './schemas/alert.ts';
import { describeUse, formatBytes, formatGrowth, timeToFull, type BudgetObservation } from './storage-budget.ts';
import { hash53 } from './hash53.ts';

/**
 * Vigil's own alerts about its storage, in the Wazuh alert JSON shape, on `hids.alerts.<level>.000.<rule>` like any
 * alert (so the indexer, the notifier and users' consumers see them). They are raised by the service that measures
 * the store, not by a ruleset: a full raw stream could not carry the event a rule would match.
 */
export const STORAGE_RULES = {
  /** A store passed 80% of its disk budget. */
  warning: { id: '201100', level: 7, threshold: 0.8 },
  /** A store passed 95% of its disk budget. */
  critical: { id: '201101', level: 10, threshold: 0.95 },
} as const;

/** The agent id of alerts about the manager itself (Wazuh's convention). */
export const MANAGER_AGENT_ID = '000';

const WHAT: Record<string, string> = {
  index: 'the SQLite index',
  stream: 'the stream',
  spool: 'the collector spool',
};

/** What happens at the budget, per kind of store (and stream discard policy). */
function atTheBudget(o: BudgetObservation, discard?: 'new' | 'old'): string {
  if (o.use.store === 'index') return 'the oldest alerts and archives are removed';
  if (o.use.store === 'spool') return 'sources pause (logs are read later)';
  return discard === 'new' ? 'new messages are refused and wait upstream' : 'the oldest messages are dropped';
}

/**
 * The alert for an observation that crossed a threshold. Its id is `<minute>.<n>` from the store and the threshold,
 * so two replicas that see the same crossing within a minute publish one alert (Nats-Msg-Id).
 */
export function storageAlert(o: BudgetObservation & { crossed: number }, context: { managerName: string; now: number; discard?: 'new' | 'old' }): Alert {
  const rule = o.crossed >= STORAGE_RULES.critical.threshold ? STORAGE_RULES.critical : STORAGE_RULES.warning;
  const { use } = o;
  const percent = Math.floor(o.ratio * 100);
  const eta = timeToFull(use, o.growthBytesPerSecond);
  const etaText = eta === undefined ? '' : `, full in about ${Math.max(1, Math.round(eta / 60_000))} min`;
  const description = `Vigil storage: ${WHAT[use.store]} ${use.name} is at ${percent}% of its ${formatBytes(use.budgetBytes)} budget (${formatGrowth(o.growthBytesPerSecond)}${etaText}); at the budget ${atTheBudget(o, context.discard)}`;
  const minute = Math.floor(context.now / 60_000) * 60;
  return {
    timestamp: new Date(context.now).toISOString().replace('Z', '+0000'),
    rule: { id: rule.id, level: rule.level, description, firedtimes: 1, mail: false, groups: ['vigil', 'storage_budget'] },
    agent: { id: MANAGER_AGENT_ID, name: context.managerName },
    manager: { name: context.managerName },
    id: `${minute}.${hash53(`${use.store}\u0000${use.name}\u0000${rule.id}`)}`,
    full_log: describeUse(o),
    decoder: { name: 'vigil-storage' },
    data: {
      vigil: {
        store: use.store,
        name: use.name,
        used_bytes: use.usedBytes,
        budget_bytes: use.budgetBytes,
        percent,
        growth_bytes_per_hour: Math.round(o.growthBytesPerSecond * 3600),
        threshold: o.crossed,
        ...(context.discard !== undefined ? { discard: context.discard } : {}),
      },
    },
    location: 'vigil-storage',
  };
}
