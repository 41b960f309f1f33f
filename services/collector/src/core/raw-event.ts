import type { AgentRef, EventKind, RawEvent } from '@vigil/common';

/** Event ids are `<agent id>:<seq>`: unique per agent, and the Nats-Msg-Id under which JetStream deduplicates. */
export function eventId(agentId: string, seq: number): string {
  return `${agentId}:${seq}`;
}

export function logEvent(agent: AgentRef, seq: number, location: string, line: string, truncated: boolean, now: Date): RawEvent {
  return {
    v: 1,
    id: eventId(agent.id, seq),
    seq,
    agent,
    kind: 'log' satisfies EventKind,
    location,
    collectedAt: now.toISOString(),
    log: line,
    ...(truncated ? { truncated: true } : {}),
  };
}
