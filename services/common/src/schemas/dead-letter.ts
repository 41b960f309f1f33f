import { Type, type Static } from '@sinclair/typebox';

/** A message no stage could process, with why; the original bytes are kept so it can be replayed. */
export const DeadLetter = Type.Object(
  {
    stage: Type.String(),
    code: Type.String(),
    reason: Type.String(),
    subject: Type.String({ description: 'Subject the message was published on' }),
    stream: Type.Optional(Type.String()),
    streamSequence: Type.Optional(Type.Integer()),
    deliveryCount: Type.Optional(Type.Integer()),
    at: Type.String({ format: 'date-time' }),
    data: Type.String({ description: 'The original message: UTF-8 text, or base64 when encoding is base64' }),
    encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
  },
  { additionalProperties: false, $id: 'https://vigil.dev/schemas/dead-letter.json', title: 'Vigil dead letter' },
);
export type DeadLetter = Static<typeof DeadLetter>;
