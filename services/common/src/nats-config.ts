import { Type, type Static } from '@sinclair/typebox';

const MiB = 1024 * 1024;

/**
 * The limits of one stream. `maxBytes` is its disk budget. `discard` says what happens at the budget: `new` refuses
 * new messages (the publisher keeps them and retries: back-pressure, nothing lost), `old` drops the oldest.
 */
const StreamLimits = (what: string, defaults: { maxAgeHours: number; maxBytes: number; discard: 'new' | 'old' }) =>
  Type.Object(
    {
      maxAgeHours: Type.Number({ minimum: 0, default: defaults.maxAgeHours, description: `How long ${what} are kept (0 = no limit)` }),
      maxBytes: Type.Integer({
        minimum: -1,
        default: defaults.maxBytes,
        description: `Disk budget of the stream of ${what} in bytes (-1 = no limit); an alert and a metric warn at 80% and 95%`,
      }),
      discard: Type.Union([Type.Literal('new'), Type.Literal('old')], {
        default: defaults.discard,
        description:
          defaults.discard === 'new'
            ? 'At the budget: new = refuse new messages (they wait upstream, in the collector spool or a stage; none is lost), old = drop the oldest'
            : 'At the budget: old = drop the oldest, new = refuse new messages (the publishing stage waits and retries)',
      }),
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
        budgetCheckSeconds: Type.Number({
          exclusiveMinimum: 0,
          default: 30,
          description: "How often the streams are measured against their budgets (metrics, alerts at 80% and 95%) and the consuming stage trims what was consumed from a full 'discard: new' stream",
        }),
        // Budgets that fit the smallest JetStream volume in deploy/ (dev: max_file_store 4GB on 5Gi).
        raw: StreamLimits('raw events', { maxAgeHours: 24, maxBytes: 1024 * MiB, discard: 'new' }),
        decoded: StreamLimits('decoded events', { maxAgeHours: 24, maxBytes: 1024 * MiB, discard: 'new' }),
        alerts: StreamLimits('alerts', { maxAgeHours: 24 * 7, maxBytes: 1024 * MiB, discard: 'old' }),
        dlq: StreamLimits('dead letters', { maxAgeHours: 24 * 30, maxBytes: 256 * MiB, discard: 'old' }),
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
