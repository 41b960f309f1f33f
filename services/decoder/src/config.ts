import { Type, type Static } from '@sinclair/typebox';

export const DecoderConfig = Type.Object(
  {
    batchSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: nats.consumers.batchSize' })),
  },
  { additionalProperties: false, default: {} },
);
export type DecoderConfig = Static<typeof DecoderConfig>;
