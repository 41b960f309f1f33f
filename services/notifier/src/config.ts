import { Type, type Static } from '@sinclair/typebox';

export const NotifierConfig = Type.Object(
  {
    slack: Type.Object(
      {
        webhookUrl: Type.Optional(Type.String({ description: 'Slack incoming-webhook URL; env SLACK_WEBHOOK_URL. Never logged.' })),
        minLevel: Type.Integer({ minimum: 0, maximum: 16, default: 3, description: 'Alerts below this level are not posted' }),
        timeoutMs: Type.Integer({ minimum: 100, default: 10000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    dashboardUrl: Type.Optional(Type.String({ description: 'Base URL for links to alerts in messages' })),
    dedupeHours: Type.Number({ exclusiveMinimum: 0, default: 48, description: 'How long a posted alert id is remembered' }),
  },
  { additionalProperties: false, default: {} },
);
export type NotifierConfig = Static<typeof NotifierConfig>;
