import { Piscina } from 'piscina';
import { newEngineState, type EngineState } from '../core/rule-engine.ts';
import type { CompiledRuleset } from '../core/rule-types.ts';
import { carryCorrelationState } from '../core/carry-state.ts';
import { evaluateMessages, type EvaluationSettings, type ItemResult, type MessageItem } from './evaluate-messages.ts';
import type { LoadedRules } from './rule-files.ts';
import type { ReloadTask } from './rule-worker.ts';
import { openGeoIpDatabase } from './geoip-database.ts';

/** FNV-1a of an agent id: which worker owns the agent. */
function shardOf(agent: string | undefined, shards: number): number {
  if (shards <= 1 || agent === undefined) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < agent.length; i++) {
    hash ^= agent.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export interface RulePoolOptions {
  /** Worker threads; 0 evaluates in the calling thread. */
  workers: number;
  /** The compiled ruleset (used in the calling thread when workers = 0). */
  ruleset: CompiledRuleset;
  /** Ruleset paths: each worker compiles the same files (unless `loaded` gives their sources). */
  rulesets: readonly string[];
  /** The sources the ruleset was compiled from: each worker compiles them, and alerts carry their hash. */
  loaded?: LoadedRules;
  geoip?: boolean;
  settings: EvaluationSettings;
}

/**
 * The worker pool of the rule engine. Agents are sharded to workers by hash, and each worker is its own
 * single-thread piscina queue (first in, first out), so every agent's events are evaluated in order on the state of
 * that one worker, whatever the batch they came in. A batch is split by shard, sent as one task per shard, and the
 * results are put back in the batch's order.
 */
export class RulePool {
  private readonly pools: Piscina[] = [];
  private readonly local: { ruleset: CompiledRuleset; state: EngineState; geoLookup: ((ip: string) => string | undefined) | undefined } | undefined;
  private settings: EvaluationSettings;

  constructor(options: RulePoolOptions) {
    this.settings = options.loaded ? { ...options.settings, rulesetHash: options.loaded.hash } : options.settings;
    if (options.workers <= 0) {
      const geo = options.settings.geoipDatabase;
      this.local = { ruleset: options.ruleset, state: newEngineState(), geoLookup: geo ? openGeoIpDatabase(geo) : undefined };
      return;
    }
    const filename = new URL('./rule-worker.ts', import.meta.url).href;
    for (let i = 0; i < options.workers; i++) {
      this.pools.push(
        new Piscina({
          filename,
          minThreads: 1,
          maxThreads: 1,
          concurrentTasksPerWorker: 1,
          idleTimeout: Number.POSITIVE_INFINITY,
          workerData: {
            rulesets: [...options.rulesets],
            ...(options.loaded ? { loaded: { sources: options.loaded.sources, lists: options.loaded.lists, hash: options.loaded.hash, compile: options.loaded.compile } } : {}),
            geoip: options.geoip ?? options.settings.geoipDatabase !== undefined,
            settings: this.settings,
          },
        }),
      );
    }
  }

  get workers(): number {
    return this.pools.length;
  }

  /** Evaluates a batch; results in the batch's order. Batches of one agent must be submitted in order. */
  async evaluate(items: readonly MessageItem[]): Promise<ItemResult[]> {
    if (this.local) return evaluateMessages(this.local.ruleset, this.local.state, items, this.settings, this.local.geoLookup);
    const n = this.pools.length;
    const shards: MessageItem[][] = Array.from({ length: n }, () => []);
    const positions: number[][] = Array.from({ length: n }, () => []);
    items.forEach((item, i) => {
      const s = shardOf(item.agent, n);
      // A view into a larger buffer (as NATS hands messages over) would be cloned whole: send only its bytes.
      const data = item.data;
      const own = typeof data !== 'string' && data.byteLength !== data.buffer.byteLength ? { data: data.slice(), agent: item.agent } : item;
      (shards[s] as MessageItem[]).push(own);
      (positions[s] as number[]).push(i);
    });
    const results: ItemResult[] = new Array(items.length);
    await Promise.all(
      shards.map(async (shard, s) => {
        if (shard.length === 0) return;
        const r = (await (this.pools[s] as Piscina).run(shard)) as ItemResult[];
        const pos = positions[s] as number[];
        for (let k = 0; k < r.length; k++) results[pos[k] as number] = r[k] as ItemResult;
      }),
    );
    return results;
  }

  /**
   * Puts another compiled ruleset in service between two batches: batches submitted before run on the old one,
   * batches submitted after on the new one (each worker gets the reload as the next task of its queue). The
   * correlation state of the rules that did not change is kept (carryCorrelationState).
   */
  async reload(next: LoadedRules): Promise<void> {
    this.settings = { ...this.settings, rulesetHash: next.hash };
    if (this.local) {
      carryCorrelationState(this.local.ruleset, next.ruleset, this.local.state);
      this.local.ruleset = next.ruleset;
      return;
    }
    const task: ReloadTask = { reload: { sources: next.sources, lists: next.lists, hash: next.hash, compile: next.compile } };
    await Promise.all(this.pools.map((p) => p.run(task)));
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.destroy()));
  }
}
