import { Type, type Static } from '@sinclair/typebox';

export const IndexerConfig = Type.Object(
  {
    sqlite: Type.Object(
      {
        path: Type.String({ default: 'vigil.db', description: 'SQLite database file, WAL mode (relative to dataDir)' }),
      },
      { additionalProperties: false, default: {} },
    ),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Alerts per transaction; default: nats.consumers.batchSize' })),
  },
  { additionalProperties: false, default: {} },
);
export type IndexerConfig = Static<typeof IndexerConfig>;
