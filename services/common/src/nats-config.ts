import { Type, type Static } from '@sinclair/typebox';

const StreamLimits = (maxAgeDefault: number, what: string) =>
  Type.Object(
    {
      maxAgeHours: Type.Number({ minimum: 0, default: maxAgeDefault, description: `How long ${what} are kept (0 = no limit)` }),
      maxBytes: Type.Integer({ minimum: -1, default: -1, description: 'Size limit of the stream in bytes (-1 = no limit)' }),
    },
    { additionalProperties: false, default: {} },
  );

/** The NATS connection and the JetStream streams and consumers every service shares. */
export const NatsConfig = Type.Object(
  {
    url: Type.String({ default: 'nats://127.0.0.1:4222', description: 'NATS server URL(s), comma separated; env NATS_URL' }),
    subjectPrefix: Type.String({ default: 'hids', pattern: '^[A-Za-z0-9_-]+$' }),
    user: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    token: Type.Optional(Type.String()),
    inboxPrefix: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]+$',
        description: "Prefix of this connection's reply subjects; default _INBOX_<user> when nats.user is set (so a user may be allowed only its own inboxes), else _INBOX",
      }),
    ),
    credsFile: Type.Optional(Type.String({ description: 'NATS credentials file (JWT + nkey)' })),
    tls: Type.Optional(
      Type.Object(
        { caFile: Type.Optional(Type.String()), certFile: Type.Optional(Type.String()), keyFile: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    streams: Type.Object(
      {
        replicas: Type.Integer({ minimum: 1, maximum: 5, default: 1, description: '3 in production clusters' }),
        duplicateWindowSeconds: Type.Integer({ minimum: 1, default: 120 }),
        raw: StreamLimits(24, 'raw events'),
        decoded: StreamLimits(24, 'decoded events'),
        alerts: StreamLimits(24 * 7, 'alerts'),
        dlq: StreamLimits(24 * 30, 'dead letters'),
      },
      { additionalProperties: false, default: {} },
    ),
    consumers: Type.Object(
      {
        ackWaitSeconds: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'Redelivery after this long without ack' }),
        maxDeliver: Type.Integer({ minimum: 2, default: 10, description: 'After this many deliveries a message goes to the DLQ' }),
        batchSize: Type.Integer({ minimum: 1, default: 500, description: 'Messages handled together by a stage' }),
        retryDelayMs: Type.Integer({ minimum: 0, default: 2000, description: 'First nak delay; doubles per delivery' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type NatsConfig = Static<typeof NatsConfig>;

/** The inbox prefix a connection uses: configured, else per user (`_INBOX_<user>`), else NATS's `_INBOX`. */
export function inboxPrefixOf(config: Pick<NatsConfig, 'inboxPrefix' | 'user'>): string {
  if (config.inboxPrefix !== undefined) return config.inboxPrefix;
  return config.user !== undefined ? `_INBOX_${config.user.replace(/[^A-Za-z0-9_-]/g, '_')}` : '_INBOX';
}
