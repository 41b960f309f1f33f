import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsConfig } from './nats-config.ts';
import { subjects as subjectsOf, type Subjects } from './subjects.ts';

export const STREAMS = {
  raw: 'HIDS_RAW',
  decoded: 'HIDS_DECODED',
  alerts: 'HIDS_ALERTS',
  dlq: 'HIDS_DLQ',
  /** Active-response commands, one subject per agent: kept so that a collector that was down gets its command. */
  ar: 'HIDS_AR',
} as const;

/** JetStream key-value buckets (named with streamName for another subject prefix). */
export const KV_BUCKETS = {
  /** The agent registry: one entry per agent id (name, version, ip, os, first seen, last keepalive). */
  agents: 'HIDS_AGENTS',
  /** The ruleset each decoder and rule-engine replica runs: `<service>.<replica>` → {service, replica, hash, loadedAt}. */
  rulesets: 'HIDS_RULESETS',
  /** The responder's record of actions: `<agent>.<command id>` → the command, when it was sent, until when. */
  responses: 'HIDS_RESPONSES',
} as const;

/** Durable consumer names. The rule engine has one durable per partition. */
export const DURABLES = {
  decoder: 'decoder',
  ruleEngine: (partition: number) => `rule-engine-p${partition}`,
  indexer: 'indexer',
  notifier: 'notifier',
  responder: 'responder',
  /** A collector's durable on its own active-response subject. */
  activeResponse: (agent: string) => `ar-${agent}`,
} as const;

export function streamName(prefix: string, stream: string): string {
  return prefix === 'hids' ? stream : `${prefix.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}_${stream.replace(/^HIDS_/, '')}`;
}

export function streamNames(prefix: string): Record<keyof typeof STREAMS, string> {
  return {
    raw: streamName(prefix, STREAMS.raw),
    decoded: streamName(prefix, STREAMS.decoded),
    alerts: streamName(prefix, STREAMS.alerts),
    dlq: streamName(prefix, STREAMS.dlq),
    ar: streamName(prefix, STREAMS.ar),
  };
}

function hours(h: number): number {
  return h === 0 ? 0 : nanos(h * 3600 * 1000);
}

export function streamConfigs(config: NatsConfig): Array<Partial<StreamConfig> & { name: string; subjects: string[] }> {
  const s: Subjects = subjectsOf(config.subjectPrefix);
  const names = streamNames(config.subjectPrefix);
  const common = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: config.streams.replicas,
    duplicate_window: nanos(config.streams.duplicateWindowSeconds * 1000),
  };
  const limits = (l: NatsConfig['streams']['raw']) => ({
    max_age: hours(l.maxAgeHours),
    max_bytes: l.maxBytes,
    discard: l.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
  });
  return [
    { ...common, name: names.raw, subjects: [s.rawAll()], ...limits(config.streams.raw) },
    { ...common, name: names.decoded, subjects: [s.decodedAll()], ...limits(config.streams.decoded) },
    { ...common, name: names.alerts, subjects: [s.alertsAll()], ...limits(config.streams.alerts) },
    { ...common, name: names.dlq, subjects: [s.dlqAll()], ...limits(config.streams.dlq) },
    // Commands are small and few; a day keeps a command for a collector that was down, no longer (a stale block is
    // worse than none). Discard old: a flood of commands cannot block new ones.
    { ...common, name: names.ar, subjects: [s.arAll()], max_age: hours(24), max_bytes: 64 * 1024 * 1024, discard: DiscardPolicy.Old },
  ];
}

/** Creates the streams, or updates their limits if they exist. Safe to call from every service on start. */
export async function ensureStreams(jsm: JetStreamManager, config: NatsConfig): Promise<void> {
  for (const wanted of streamConfigs(config)) {
    try {
      const info = await jsm.streams.info(wanted.name);
      const current = info.config;
      const changed =
        current.max_age !== wanted.max_age ||
        current.max_bytes !== wanted.max_bytes ||
        current.discard !== wanted.discard ||
        current.duplicate_window !== wanted.duplicate_window ||
        current.num_replicas !== wanted.num_replicas;
      if (changed) await jsm.streams.update(wanted.name, { ...current, ...wanted });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await jsm.streams.add(wanted);
      } catch (addErr) {
        // Another service created it between our info and add: that is the idempotent outcome we want.
        if (!/already in use|already exists/i.test(String((addErr as Error).message))) throw addErr;
      }
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: string | number; message?: string; api_error?: { err_code?: number } };
  return /not found/i.test(e?.message ?? '') || e?.api_error?.err_code === 10059;
}

export interface DurableSpec {
  stream: string;
  durable: string;
  filterSubject: string;
}

/** Creates a durable pull consumer (explicit ack, redelivery after ack wait) or updates its settings. */
export async function ensureDurable(jsm: JetStreamManager, config: NatsConfig, spec: DurableSpec): Promise<void> {
  const wanted: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    filter_subject: spec.filterSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(config.consumers.ackWaitSeconds * 1000),
    // The consumer loop dead-letters a message itself at maxDeliver; one extra delivery lets it do so.
    max_deliver: config.consumers.maxDeliver + 1,
    max_ack_pending: Math.max(1000, config.consumers.batchSize * 4),
  };
  try {
    const info = await jsm.consumers.info(spec.stream, spec.durable);
    if (
      info.config.ack_wait !== wanted.ack_wait ||
      info.config.max_deliver !== wanted.max_deliver ||
      info.config.max_ack_pending !== wanted.max_ack_pending ||
      info.config.filter_subject !== wanted.filter_subject
    ) {
      await jsm.consumers.update(spec.stream, spec.durable, {
        ack_wait: wanted.ack_wait,
        max_deliver: wanted.max_deliver,
        max_ack_pending: wanted.max_ack_pending,
        filter_subject: wanted.filter_subject,
      } as never);
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.consumers.add(spec.stream, wanted);
    } catch (addErr) {
      if (!/already in use|already exists/i.test(String((addErr as Error).message))) throw addErr;
    }
  }
}
