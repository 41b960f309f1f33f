import type { AgentRef, EventKind, RawEvent } from '@vigil/common';

/** Event ids are `<agent id>:<seq>`: unique per agent, and the Nats-Msg-Id under which JetStream deduplicates. */
export function eventId(agentId: string, seq: number): string {
  return `${agentId}:${seq}`;
}

/** What a source hands to the spool: an event before it gets its agent, sequence number and time. */
export interface EventDraft {
  kind: EventKind;
  location: string;
  log?: string;
  payload?: Record<string, unknown>;
  truncated?: boolean;
}

export function buildEvent(agent: AgentRef, seq: number, draft: EventDraft, now: Date): RawEvent {
  return {
    v: 1,
    id: eventId(agent.id, seq),
    seq,
    agent,
    kind: draft.kind,
    location: draft.location,
    collectedAt: now.toISOString(),
    ...(draft.log !== undefined ? { log: draft.log } : {}),
    ...(draft.payload !== undefined ? { payload: draft.payload } : {}),
    ...(draft.truncated ? { truncated: true } : {}),
  };
}

export function logEvent(agent: AgentRef, seq: number, location: string, line: string, truncated: boolean, now: Date): RawEvent {
  return buildEvent(agent, seq, { kind: 'log' satisfies EventKind, location, log: line, truncated }, now);
}
