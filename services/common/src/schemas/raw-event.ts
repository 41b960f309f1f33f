import { Type, type Static } from '@sinclair/typebox';
import { EVENT_KINDS } from '../subjects.ts';

export const AgentRef = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$', description: 'Agent id; also a subject token' }),
    name: Type.String({ minLength: 1 }),
    ip: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type AgentRef = Static<typeof AgentRef>;

export const EventKind = Type.Union(EVENT_KINDS.map((k) => Type.Literal(k)));

/** What a collector publishes: one event read on a host, with its identity and where it came from. */
export const RawEvent = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 1, description: '<agent id>:<seq>, also the Nats-Msg-Id header' }),
    seq: Type.Integer({ minimum: 0, description: 'Monotonic per agent' }),
    agent: AgentRef,
    kind: EventKind,
    location: Type.String({ minLength: 1, description: 'Source: a file path, journald, syscheck, sca, ...' }),
    collectedAt: Type.String({ format: 'date-time' }),
    log: Type.Optional(Type.String({ description: 'The original line, for log events' })),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Structured events (fim, sca, ...)' })),
    truncated: Type.Optional(Type.Boolean({ description: 'The line was longer than the maximum and was cut' })),
  },
  { additionalProperties: false, $id: 'https://vigil.dev/schemas/raw-event.json', title: 'Vigil raw event' },
);
export type RawEvent = Static<typeof RawEvent>;
