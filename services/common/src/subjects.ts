/**
 * Subject names of the pipeline. Services build every subject through these functions, never from string
 * literals, so the prefix (default `hids`) can be changed in one place.
 *
 *   <prefix>.raw.<agent>.<kind>               raw events from collectors
 *   <prefix>.decoded.<partition>.<agent>      decoded events, partitioned by agent
 *   <prefix>.alerts.<level>.<agent>.<rule>    alerts (Wazuh alert JSON)
 *   <prefix>.dlq.<stage>.<code>               dead letters with their reason
 *   <prefix>.ar.<agent>                       active-response commands for one agent (published by the responder)
 */
export const EVENT_KINDS = ['log', 'fim', 'audit', 'sca', 'inventory'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What may appear as one subject token: no dots, wildcards or white space. */
export const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export function isSubjectToken(value: string): boolean {
  return SUBJECT_TOKEN.test(value);
}

export interface Subjects {
  readonly prefix: string;
  raw(agent: string, kind: EventKind): string;
  rawAll(): string;
  rawFilterForAgent(agent: string): string;
  decoded(partition: number, agent: string): string;
  decodedAll(): string;
  decodedPartition(partition: number): string;
  alert(level: number, agent: string, rule: string): string;
  alertsAll(): string;
  /** A filter subject over alerts: each of level, agent and rule is a subject token or `*`. */
  alertFilter(level: string, agent: string, rule: string): string;
  dlq(stage: string, code: string): string;
  dlqAll(): string;
  /** Active-response commands for one agent (only the responder publishes here). */
  ar(agent: string): string;
  arAll(): string;
  /** Splits a raw subject into its agent and kind tokens, or returns undefined if it is not a raw subject. */
  parseRaw(subject: string): { agent: string; kind: string } | undefined;
  parseDecoded(subject: string): { partition: number; agent: string } | undefined;
}

function token(value: string, what: string): string {
  if (!SUBJECT_TOKEN.test(value)) throw new Error(`${what} '${value}' cannot be used in a subject (allowed: A-Z a-z 0-9 _ -)`);
  return value;
}

export function subjects(prefix = 'hids'): Subjects {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) throw new Error(`subject prefix '${prefix}' is not a valid subject`);
  const depth = prefix.split('.').length;
  return {
    prefix,
    raw: (agent, kind) => `${prefix}.raw.${token(agent, 'agent id')}.${kind}`,
    rawAll: () => `${prefix}.raw.>`,
    rawFilterForAgent: (agent) => `${prefix}.raw.${token(agent, 'agent id')}.>`,
    decoded: (partition, agent) => `${prefix}.decoded.${partition}.${token(agent, 'agent id')}`,
    decodedAll: () => `${prefix}.decoded.>`,
    decodedPartition: (partition) => `${prefix}.decoded.${partition}.>`,
    alert: (level, agent, rule) => `${prefix}.alerts.${level}.${token(agent, 'agent id')}.${token(rule, 'rule id')}`,
    alertsAll: () => `${prefix}.alerts.>`,
    alertFilter: (level, agent, rule) =>
      `${prefix}.alerts.${level === '*' ? '*' : token(level, 'level')}.${agent === '*' ? '*' : token(agent, 'agent id')}.${rule === '*' ? '*' : token(rule, 'rule id')}`,
    dlq: (stage, code) => `${prefix}.dlq.${token(stage, 'stage')}.${token(code, 'code')}`,
    dlqAll: () => `${prefix}.dlq.>`,
    ar: (agent) => `${prefix}.ar.${token(agent, 'agent id')}`,
    arAll: () => `${prefix}.ar.>`,
    parseRaw(subject) {
      const parts = subject.split('.');
      if (parts.length !== depth + 3 || parts[depth] !== 'raw') return undefined;
      return { agent: parts[depth + 1] as string, kind: parts[depth + 2] as string };
    },
    parseDecoded(subject) {
      const parts = subject.split('.');
      if (parts.length !== depth + 3 || parts[depth] !== 'decoded') return undefined;
      return { partition: Number(parts[depth + 1]), agent: parts[depth + 2] as string };
    },
  };
}

/**
 * The partition of an agent: FNV-1a over its id, modulo the partition count. Stable across processes and
 * languages, so any publisher computes the same partition (nats-server 2.9 has no subject transforms).
 */
export function partitionOf(agent: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < agent.length; i++) {
    hash ^= agent.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
