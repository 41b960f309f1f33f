import { Type, type Static } from '@sinclair/typebox';

const Strings = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });

/** Which alerts a destination receives. Every listed condition must hold; an empty or absent list means "any". */
export const RouteFilter = Type.Object(
  {
    minLevel: Type.Integer({ minimum: 0, maximum: 16, default: 0, description: 'Alerts below this level are not sent' }),
    rules: Type.Optional(Strings('Rule ids (any of). One id becomes part of the JetStream filter subject')),
    groups: Type.Optional(Strings('Rule groups to include: the alert must carry at least one of them')),
    excludeGroups: Type.Optional(Strings('Rule groups to exclude: an alert carrying any of them is not sent')),
    agents: Type.Optional(Strings('Agent ids (any of). One id, with no agentNames, becomes part of the filter subject')),
    agentNames: Type.Optional(Strings('Agent name patterns (* and ? wildcards); an alert matches agents OR agentNames')),
    locations: Type.Optional(Strings('Location patterns (* and ? wildcards), e.g. syscheck, sca, /var/log/*')),
  },
  { additionalProperties: false, default: {} },
);
export type RouteFilter = Static<typeof RouteFilter>;

export const RateLimit = Type.Object(
  {
    messages: Type.Integer({ minimum: 1, default: 1, description: 'Messages allowed per period (Slack allows about 1 per second)' }),
    perSeconds: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'Length of the period in seconds' }),
  },
  { additionalProperties: false, description: 'Alerts over the limit wait in a queue and are folded into the next message' },
);
export type RateLimit = Static<typeof RateLimit>;

export const Destination = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,48}$',
      description: 'Names the destination in logs and its JetStream durable (notifier-<name>)',
    }),
    webhookUrl: Type.Optional(Type.String({ minLength: 1, description: 'Slack incoming-webhook URL. Never logged' })),
    webhookUrlEnv: Type.Optional(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Environment variable holding the webhook URL (keeps it out of the file)' }),
    ),
    type: Type.Optional(
      Type.Union([Type.Literal('slack'), Type.Literal('webhook')], {
        description: 'slack (default): Block Kit to an incoming webhook; webhook: the alert as JSON POSTed to webhookUrl',
      }),
    ),
    secretEnv: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        description: 'type webhook: environment variable holding the HMAC-SHA256 secret; the body is signed in X-Vigil-Signature: sha256=<hex>',
      }),
    ),
    filter: RouteFilter,
    foldWindowSeconds: Type.Optional(Type.Number({ minimum: 0, description: 'Overrides noise.foldWindowSeconds' })),
    rateLimit: Type.Optional(RateLimit),
    template: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Message text with {{dotted.path}} placeholders filled from the alert, e.g. "{{rule.description}} on {{agent.name}} from {{data.srcip}}"',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Destination = Static<typeof Destination>;

export const NotifierConfig = Type.Object(
  {
    slack: Type.Object(
      {
        webhookUrl: Type.Optional(
          Type.String({ description: 'The simple case: one destination named "default" for every alert; env SLACK_WEBHOOK_URL. Never logged.' }),
        ),
        minLevel: Type.Integer({ minimum: 0, maximum: 16, default: 3, description: 'Minimum level of the "default" destination' }),
        timeoutMs: Type.Integer({ minimum: 100, default: 10000, description: 'Timeout of one post to any destination' }),
        template: Type.Optional(
          Type.String({
            minLength: 1,
            description: 'Message text of every destination without its own template: {{dotted.path}} placeholders filled from the alert',
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    destinations: Type.Array(Destination, {
      default: [],
      description: 'Routes: each destination has its own filter, durable consumer, folding and rate limit (services/notifier/README.md)',
    }),
    noise: Type.Object(
      {
        foldWindowSeconds: Type.Number({
          minimum: 0,
          default: 60,
          description: 'The same rule on the same agent from the same source IP inside this window becomes one message with a count (0 = off)',
        }),
        rateLimit: Type.Object(
          {
            messages: Type.Integer({ minimum: 1, default: 1, description: 'Messages allowed per period (Slack allows about 1 per second)' }),
            perSeconds: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'Length of the period in seconds' }),
          },
          { additionalProperties: false, default: {}, description: 'Per destination; what waits is folded into the next message' },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    delivery: Type.Object(
      {
        firstRetryMs: Type.Integer({ minimum: 1, default: 1000, description: 'First back-off after a 5xx or network error; doubles each time' }),
        maxRetryMs: Type.Integer({ minimum: 1, default: 60000, description: 'Longest back-off between two attempts' }),
        defaultRetryAfterSeconds: Type.Number({ minimum: 0, default: 1, description: 'Wait after a 429 without a Retry-After header' }),
      },
      { additionalProperties: false, default: {} },
    ),
    dashboardUrl: Type.Optional(Type.String({ description: 'Base URL for links to alerts in messages: <dashboardUrl>/alerts/<id>' })),
    dedupeHours: Type.Number({ exclusiveMinimum: 0, default: 48, description: 'How long a posted alert id is remembered' }),
  },
  { additionalProperties: false, default: {} },
);
export type NotifierConfig = Static<typeof NotifierConfig>;
