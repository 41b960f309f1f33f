import { Type, type Static } from '@sinclair/typebox';

export const LogFileConfig = Type.Object(
  {
    path: Type.String({ minLength: 1 }),
    /** Where to start in a file seen for the first time: only new lines (`end`, like Wazuh) or all of it. */
    startAt: Type.Union([Type.Literal('end'), Type.Literal('beginning')], { default: 'end' }),
  },
  { additionalProperties: false },
);

export const CollectorConfig = Type.Object(
  {
    stateDir: Type.String({ default: 'collector', description: 'Offsets and sequence numbers kept across restarts (relative to dataDir)' }),
    files: Type.Array(LogFileConfig, { default: [], description: 'Log files to tail' }),
    hostLogs: Type.Boolean({ default: true, description: "Also tail this host's usual logs (/var/log/auth.log, syslog, ...) where present" }),
    hostLogPaths: Type.Array(Type.String(), {
      default: ['/var/log/auth.log', '/var/log/secure', '/var/log/syslog', '/var/log/messages', '/var/log/kern.log'],
    }),
    pollIntervalMs: Type.Integer({ minimum: 10, default: 250, description: 'How often files are checked for new data' }),
    maxLineBytes: Type.Integer({ minimum: 256, default: 65536, description: 'Longer lines are cut and flagged, never dropped' }),
    batchLines: Type.Integer({ minimum: 1, default: 2000, description: 'Lines published together, then acknowledged together' }),
  },
  { additionalProperties: false, default: {} },
);
export type CollectorConfig = Static<typeof CollectorConfig>;

export const AgentConfig = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$', description: 'Default: from /etc/machine-id; env VIGIL_AGENT_ID' })),
    name: Type.Optional(Type.String({ minLength: 1, description: 'Default: the node name (NODE_NAME) or hostname; env VIGIL_AGENT_NAME' })),
    ip: Type.Optional(Type.String()),
  },
  { additionalProperties: false, default: {} },
);
export type AgentConfig = Static<typeof AgentConfig>;
