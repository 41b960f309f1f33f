import { Type, type Static } from '@sinclair/typebox';

/** The built-in responses a collector knows, each with its revert. `custom` runs a configured script. */
export const AR_COMMANDS = ['firewall-drop', 'host-deny', 'disable-account', 'custom'] as const;
export type ArCommandName = (typeof AR_COMMANDS)[number];

/**
 * An active-response command, published by the responder on `hids.ar.<agent>` (stream HIDS_AR) with its id as
 * `Nats-Msg-Id`. The id makes execution idempotent: a collector runs a command id once, whatever the redeliveries.
 * Collectors revert it themselves after `timeoutSeconds` (0: never).
 */
export const ArCommand = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$', description: 'Deterministic: <alert id>:<response>:<agent>' }),
    version: Type.Literal(1),
    response: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The name of the configured response' }),
    command: Type.Union(AR_COMMANDS.map((c) => Type.Literal(c))),
    /** For `custom`: the script's name in the collector's activeResponse.scripts (never a path). */
    script: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    agent: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$' }),
    srcip: Type.Optional(Type.String({ maxLength: 64 })),
    user: Type.Optional(Type.String({ maxLength: 64 })),
    timeoutSeconds: Type.Integer({ minimum: 0, maximum: 31_536_000 }),
    /** Logged and reported (alert 201304), never executed. */
    dryRun: Type.Boolean(),
    /** How many times this response acted on this target before (repeated offenders). */
    offense: Type.Integer({ minimum: 1 }),
    issuedAt: Type.String(),
    alert: Type.Object({
      id: Type.String(),
      rule: Type.Object({ id: Type.String(), level: Type.Integer(), description: Type.String() }),
      agent: Type.Object({ id: Type.String(), name: Type.String() }),
    }),
  },
  { additionalProperties: false, $id: 'https://vigil.dev/schemas/ar-command.json', title: 'Vigil active-response command' },
);
export type ArCommand = Static<typeof ArCommand>;
