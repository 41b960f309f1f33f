import type { JsMsg } from '@nats-io/jetstream';
import { ACK, DURABLES, runConsumer, type Bus, type Logger, type Outcome, type PublishItem, type RunningConsumer } from '@vigil/common';
import type { CompiledRuleset } from '../core/rule-types.ts';
import type { ItemResult, MessageItem } from './evaluate-messages.ts';
import { RulePool } from './rule-pool.ts';
import type { RuleFileOptions } from './rule-files.ts';

export interface RuleEngineConsumerOptions {
  bus: Bus;
  logger: Logger;
  /** The compiled ruleset (`loadRulesetFiles(...).ruleset`). */
  tree: CompiledRuleset;
  partitions: readonly number[];
  managerName: string;
  batchSize?: number;
  /** Worker threads of the pool (default 0: evaluate in the consumer's thread). Needs `rulesets`. */
  workers?: number;
  /** The ruleset paths the tree was loaded from: every worker compiles them again. */
  rulesets?: readonly string[];
  /** How the tree was loaded beside its paths (an `ossec.conf`, the semantics): every worker loads the same way. */
  load?: Omit<RuleFileOptions, 'geoip'>;
  /** `processing` (default, as Wazuh) or `event`: what correlation windows count. */
  clock?: 'processing' | 'event';
  alertLevel?: number;
  /** A GeoLite2/GeoIP2 City database (`.mmdb`) for srcgeoip/dstgeoip conditions. */
  geoipDatabase?: string;
}

export interface RuleEngineConsumers extends Array<RunningConsumer> {
  /** Stops the consumers, then the worker pool. */
  close?: () => Promise<void>;
}

/**
 * One durable consumer per owned partition (nats-server 2.9: one filter subject per consumer). A partition's
 * batches are evaluated one after the other, each agent on its own state (in a worker chosen by the agent's hash);
 * alerts are published with their id as Nats-Msg-Id, and a decoded event is acked once its alert is stored.
 */
export async function startRuleEngineConsumers(options: RuleEngineConsumerOptions): Promise<RuleEngineConsumers> {
  const { bus } = options;
  const logger = options.logger.child({ service: 'rule-engine' });
  const workers = options.rulesets && options.rulesets.length > 0 ? (options.workers ?? 0) : 0;
  if ((options.workers ?? 0) > 0 && workers === 0) logger.warn({ workers: options.workers }, 'workers need the ruleset paths (rulesets): evaluating in the consumer thread');
  const pool = new RulePool({
    workers,
    ruleset: options.tree,
    rulesets: options.rulesets ?? [],
    geoip: options.geoipDatabase !== undefined,
    ...(options.load !== undefined ? { load: options.load } : {}),
    settings: {
      managerName: options.managerName,
      clock: options.clock ?? 'processing',
      ...(options.alertLevel !== undefined ? { alertLevel: options.alertLevel } : {}),
      ...(options.geoipDatabase !== undefined ? { geoipDatabase: options.geoipDatabase } : {}),
    },
  });
  const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
    const items: MessageItem[] = messages.map((msg) => ({ data: msg.data, agent: bus.subjects.parseDecoded(msg.subject)?.agent }));
    const results = await pool.evaluate(items);
    const outcomes: Outcome[] = new Array(messages.length);
    const publishes: PublishItem[] = [];
    const waiting: number[] = [];
    results.forEach((r: ItemResult, i) => {
      if (r.kind === 'none') outcomes[i] = ACK;
      else if (r.kind === 'dead-letter') outcomes[i] = { kind: 'dead-letter', code: r.code, reason: r.reason };
      else {
        publishes.push({ subject: bus.subjects.alert(r.level, r.agent, r.rule), data: r.json, msgId: r.id });
        waiting.push(i);
      }
    });
    const published = await bus.publisher.publishAll(publishes);
    published.forEach((p, k) => {
      outcomes[waiting[k] as number] = p.ok ? ACK : { kind: 'retry', error: p.error };
    });
    return outcomes;
  };
  const consumers: RuleEngineConsumers = [];
  try {
    for (const partition of options.partitions) {
      consumers.push(
        await runConsumer({
          bus,
          stream: bus.streams.decoded,
          durable: DURABLES.ruleEngine(partition),
          filterSubject: bus.subjects.decodedPartition(partition),
          stage: 'rule-engine',
          handler: handle,
          logger: logger.child({ partition }),
          ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        }),
      );
    }
  } catch (err) {
    await Promise.all(consumers.map((c) => c.stop()));
    await pool.close();
    throw err;
  }
  // Stopping the last consumer also ends the pool (services.ts stops every consumer of the list).
  let stopped = 0;
  for (const c of consumers) {
    const stop = c.stop.bind(c);
    c.stop = async () => {
      await stop();
      if (++stopped === consumers.length) await pool.close();
    };
  }
  consumers.close = async () => {
    await Promise.all(consumers.map((c) => c.stop()));
  };
  if (workers > 0) logger.info({ workers, partitions: options.partitions.length }, 'rule engine worker pool started');
  return consumers;
}
