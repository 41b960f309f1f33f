import { Type, type Static } from '@sinclair/typebox';
import { AgentRef, EventKind } from './raw-event.ts';

export const Predecoder = Type.Object(
  {
    timestamp: Type.Optional(Type.String()),
    hostname: Type.Optional(Type.String()),
    program_name: Type.Optional(Type.String()),
    pid: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type Predecoder = Static<typeof Predecoder>;

export const DecoderRef = Type.Object(
  {
    name: Type.String(),
    parent: Type.Optional(Type.String()),
    ftscomment: Type.Optional(Type.String()),
    /** The owner decoder's `<type>` (syslog, firewall, ids, web-log, squid, windows, host-information, ossec): a rule's `<category>`. */
    type: Type.Optional(Type.String()),
    /** The owner decoder has `<accumulate/>` (the alert shows `decoder.accumulate: 1`). */
    accumulate: Type.Optional(Type.Boolean()),
    /** The first-time-seen key (`<fts>`): the owner's name and its fts fields, space-separated. */
    fts: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type DecoderRef = Static<typeof DecoderRef>;

/** A raw event after pre-decoding and decoding: what the rule engine evaluates. */
export const DecodedEvent = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 1, description: 'The raw event id' }),
    seq: Type.Integer({ minimum: 0 }),
    agent: AgentRef,
    kind: EventKind,
    location: Type.String(),
    collectedAt: Type.String({ format: 'date-time' }),
    decodedAt: Type.String({ format: 'date-time' }),
    partition: Type.Integer({ minimum: 0 }),
    full_log: Type.String(),
    /** The message after the syslog header (what decoders and rules match against). */
    log: Type.String(),
    predecoder: Predecoder,
    decoder: Type.Optional(DecoderRef),
    data: Type.Record(Type.String(), Type.Unknown()),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    truncated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, $id: 'https://vigil.dev/schemas/decoded-event.json', title: 'Vigil decoded event' },
);
export type DecodedEvent = Static<typeof DecodedEvent>;
