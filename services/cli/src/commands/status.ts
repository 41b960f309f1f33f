import { statSync } from 'node:fs';
import { connectBus, errorMessage, fillRatio, formatBytes, listRulesetReplicas, type Bus, type Logger, type RulesetReplica, type StoreUse } from '@vigil/common';
import { readSpoolUsage } from '@vigil/collector';
import type { VigilConfig } from '../config.ts';

export interface StatusOptions {
  json?: boolean | undefined;
}

/** One store as `vigil status` shows it: its use against its budget, and what happens at the budget. */
export interface StoreStatus extends StoreUse {
  /** What the store does at its budget. */
  atBudget: string;
  /** Extra facts: messages or events held. */
  holds?: string;
  /** Set when the store could not be measured. */
  error?: string;
}

function fileBytes(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The SQLite index: the file and its WAL, against indexer.retention.maxBytes. */
export function indexStatus(config: VigilConfig): StoreStatus | undefined {
  if (!config.indexer.sqlite.enabled) return undefined;
  const path = config.indexer.sqlite.path;
  const main = fileBytes(path);
  const status: StoreStatus = { store: 'index', name: path, usedBytes: (main ?? 0) + (fileBytes(`${path}-wal`) ?? 0), budgetBytes: config.indexer.retention.maxBytes, atBudget: 'oldest alerts and archives removed' };
  return main === undefined ? { ...status, holds: 'not created yet' } : status;
}

/** Each spool under collector.stateDir: the unsent events' bytes, against collector.spool.maxBytes. */
export function spoolStatus(config: VigilConfig): StoreStatus[] {
  return readSpoolUsage(config.collector.stateDir).map((s) => ({
    store: 'spool',
    name: s.path,
    usedBytes: s.bytes,
    budgetBytes: config.collector.spool.maxBytes,
    atBudget: 'sources pause, read later',
    holds: `${s.events} events`,
  }));
}

/** The four streams, as JetStream reports them (their budgets come from nats.streams, set by every service; not by this). */
export async function streamStatus(bus: Bus): Promise<StoreStatus[]> {
  const out: StoreStatus[] = [];
  for (const name of Object.values(bus.streams)) {
    let info;
    try {
      info = await bus.jsm.streams.info(name);
    } catch (err) {
      out.push({ store: 'stream', name, usedBytes: 0, budgetBytes: 0, atBudget: '', error: /not found/i.test(errorMessage(err)) ? 'not created yet (no service started)' : errorMessage(err) });
      continue;
    }
    out.push({
      store: 'stream',
      name,
      usedBytes: info.state.bytes,
      budgetBytes: info.config.max_bytes,
      atBudget: info.config.discard === 'new' ? 'refuses new, upstream waits' : 'drops the oldest',
      holds: `${info.state.messages} messages`,
    });
  }
  return out;
}

/**
 * The rulesets in service, one line per decoder and rule-engine replica (the HIDS_RULESETS bucket), and a last
 * line naming each service whose replicas run different rulesets (a reload not converged, or a refused one).
 */
export function formatRulesets(replicas: readonly RulesetReplica[]): string[] {
  if (replicas.length === 0) return ['no decoder or rule engine has recorded its ruleset yet'];
  const rows = replicas.map((r) => [r.service, r.replica, r.hash, r.loadedAt]);
  const header = ['SERVICE', 'REPLICA', 'RULESET', 'LOADED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const lines = [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd());
  for (const service of [...new Set(replicas.map((r) => r.service))]) {
    const hashes = new Set(replicas.filter((r) => r.service === service).map((r) => r.hash));
    if (hashes.size > 1) lines.push(`${service}: replicas run ${hashes.size} different rulesets (a reload in progress, or refused on some)`);
  }
  return lines;
}

/** The table `vigil status` prints: one line per store, aligned. */
export function formatStatus(stores: readonly StoreStatus[]): string[] {
  const rows = stores.map((s) => {
    if (s.error !== undefined) return [s.store, s.name, '-', '-', '-', `unavailable: ${s.error}`];
    const budget = s.budgetBytes > 0 ? formatBytes(s.budgetBytes) : 'none';
    const use = s.budgetBytes > 0 ? `${Math.floor(fillRatio(s) * 100)}%` : '-';
    return [s.store, s.name, formatBytes(s.usedBytes), budget, use, [s.holds, `at the budget: ${s.atBudget}`].filter(Boolean).join('; ')];
  });
  const header = ['STORE', 'NAME', 'USED', 'BUDGET', 'USE', 'NOTES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd());
}

/**
 * `vigil status`: each store's use against its disk budget: the SQLite index and the collector spools on this host,
 * and the streams from NATS; then the ruleset each decoder and rule-engine replica runs. Exit code 1 when a store
 * could not be measured (NATS unreachable), else 0.
 */
export async function statusCommand(config: VigilConfig, logger: Logger, options: StatusOptions, print: (line: string) => void): Promise<number> {
  const stores: StoreStatus[] = [];
  const index = indexStatus(config);
  if (index) stores.push(index);
  let failed = false;
  let replicas: RulesetReplica[] | undefined;
  try {
    const bus = await connectBus(config.nats, logger, 'vigil-status', { setUpStreams: false });
    try {
      stores.push(...(await streamStatus(bus)));
      replicas = await listRulesetReplicas(bus).catch(() => undefined);
    } finally {
      await bus.nc.close();
    }
  } catch (err) {
    failed = true;
    stores.push({ store: 'stream', name: 'all', usedBytes: 0, budgetBytes: 0, atBudget: '', error: errorMessage(err) });
  }
  stores.push(...spoolStatus(config));
  if (options.json) {
    for (const s of stores) print(JSON.stringify({ ...s, ...(s.error === undefined && s.budgetBytes > 0 ? { ratio: fillRatio(s) } : {}) }));
    for (const r of replicas ?? []) print(JSON.stringify({ ruleset: r }));
  } else {
    for (const line of formatStatus(stores)) print(line);
    if (replicas) {
      print('');
      for (const line of formatRulesets(replicas)) print(line);
    }
  }
  return failed ? 1 : 0;
}
