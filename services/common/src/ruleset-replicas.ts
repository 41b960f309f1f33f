import { Kvm, type KV } from '@nats-io/kv';
import type { Bus } from './nats-connection.ts';
import { KV_BUCKETS, streamName } from './streams.ts';
import { errorMessage } from './errors.ts';
import type { Logger } from './logger.ts';
import { processMetrics } from './metrics.ts';

/** What a decoder or rule-engine replica reports about the ruleset it runs. */
export interface RulesetReplica {
  service: string;
  /** The replica: its pod (host) name, with the rule engine's replica index. */
  replica: string;
  /** The content hash of its ruleset (`rulesetHash` of @vigil/wazuh-format). */
  hash: string;
  /** When that ruleset was put in service (ISO time). */
  loadedAt: string;
}

/** Entries not refreshed for this long expire (a replica that is gone). */
const TTL_MS = 60 * 60 * 1000;
/** How often a running replica refreshes its entry. */
export const RULESET_REFRESH_MS = 15 * 60 * 1000;

const keyOf = (r: Pick<RulesetReplica, 'service' | 'replica'>) => `${r.service}.${r.replica}`.replace(/[^-/_=.a-zA-Z0-9]/g, '_');

async function openBucket(bus: Bus): Promise<KV> {
  return await new Kvm(bus.nc).create(streamName(bus.config.subjectPrefix, KV_BUCKETS.rulesets), { history: 1, ttl: TTL_MS, replicas: bus.config.streams.replicas });
}

/**
 * Records a replica's ruleset in the `HIDS_RULESETS` bucket and in `/metrics` (`vigil_ruleset_info`), on every
 * load and every RULESET_REFRESH_MS. NATS refusing or being away is logged, never fatal: the next load or refresh
 * tries again.
 */
export function startRulesetRecord(bus: Bus, logger: Logger, service: string, replica: string): { loaded(hash: string): Promise<void>; stop(): void } {
  let current: RulesetReplica | undefined;
  let kv: KV | undefined;
  let failing = false;
  const put = async () => {
    if (!current) return;
    try {
      kv ??= await openBucket(bus);
      await kv.put(keyOf(current), JSON.stringify(current));
      failing = false;
    } catch (err) {
      if (!failing) logger.warn({ service, err: errorMessage(err) }, 'cannot record the ruleset hash in the HIDS_RULESETS bucket; will retry');
      failing = true;
    }
  };
  const timer = setInterval(() => void put(), RULESET_REFRESH_MS);
  timer.unref();
  return {
    async loaded(hash: string) {
      current = { service, replica, hash, loadedAt: new Date().toISOString() };
      processMetrics.set('vigil_ruleset_info', 'The content hash of the ruleset in service (value 1)', { service, replica, hash }, 1, { service, replica });
      await put();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * Every replica's ruleset, as recorded in the `HIDS_RULESETS` bucket, sorted by service and replica: what
 * `vigil status` shows to tell whether all replicas converged on one hash.
 */
export async function listRulesetReplicas(bus: Bus): Promise<RulesetReplica[]> {
  const kv = await openBucket(bus);
  const out: RulesetReplica[] = [];
  for await (const key of await kv.keys()) {
    const e = await kv.get(key);
    if (e && e.operation === 'PUT') out.push(e.json() as RulesetReplica);
  }
  return out.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}
