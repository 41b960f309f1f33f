import { Type, type Static } from '@sinclair/typebox';
import { AR_COMMANDS, buildAllowList, ConfigError } from '@vigil/common';

const Strings = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });

/** One response: Wazuh's `<command>` and `<active-response>` in one entry. */
export const ResponseSpec = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Names the response in commands, alerts and `vigil responses`' }),
    command: Type.Union(
      AR_COMMANDS.map((c) => Type.Literal(c)),
      { description: 'firewall-drop (the alert\'s srcip), host-deny (srcip in hosts.deny), disable-account (the alert\'s user), custom (a script)' },
    ),
    script: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'command custom: the script\'s name in the collector\'s activeResponse.scripts' })),
    rules: Type.Optional(Strings('Rule ids that trigger it (any of)')),
    groups: Type.Optional(Strings('Rule groups that trigger it (any of)')),
    minLevel: Type.Integer({ minimum: 0, maximum: 16, default: 0, description: 'Alerts below this level never trigger it' }),
    agents: Type.Optional(Strings('Only alerts of these agent ids trigger it')),
    location: Type.Union([Type.Literal('local'), Type.Literal('agent'), Type.Literal('all')], {
      default: 'local',
      description: 'local: on the agent that raised the alert; agent: on `agent`; all: on every registered agent (Wazuh\'s location)',
    }),
    agent: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$', description: 'location agent: the agent id to run on' })),
    timeoutSeconds: Type.Integer({ minimum: 0, default: 600, description: 'Reverted after this long (0: never reverted)' }),
    repeatedOffenders: Type.Array(Type.Integer({ minimum: 1 }), {
      default: [],
      description: 'Timeouts in minutes for the 2nd, 3rd, ... action on the same target (Wazuh\'s repeated_offenders); the last one repeats',
    }),
    dryRun: Type.Boolean({ default: true, description: 'Logged and alerted (201304), not executed. Default true: turn it off once the alerts look right' }),
    rateLimit: Type.Object(
      {
        actions: Type.Integer({ minimum: 1, default: 10, description: 'Actions allowed per agent per period (all responses together)' }),
        perSeconds: Type.Integer({ minimum: 1, default: 60 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type ResponseSpec = Static<typeof ResponseSpec>;

export const ResponderConfig = Type.Object(
  {
    responses: Type.Array(ResponseSpec, { default: [], description: 'Active responses (docs/active-response.md); none by default' }),
    allow: Type.Object(
      {
        addresses: Strings('Addresses and CIDRs never acted on, besides loopback (e.g. pod and service CIDRs, admin networks)'),
        users: Strings('Users never locked, besides root'),
      },
      { additionalProperties: false, default: { addresses: [], users: [] } },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type ResponderConfig = Static<typeof ResponderConfig>;

/** Checks what the schema cannot say; throws ConfigError naming the key. Called at start-up. */
export function checkResponderConfig(config: ResponderConfig): void {
  const names = new Set<string>();
  config.responses.forEach((r, i) => {
    const key = `responder.responses[${i}] (${r.name})`;
    if (names.has(r.name)) throw new ConfigError(`${key}: the name is used twice`);
    names.add(r.name);
    if (r.location === 'agent' && !r.agent) throw new ConfigError(`${key}: location agent needs agent (the agent id to run on)`);
    if (r.location !== 'agent' && r.agent) throw new ConfigError(`${key}: agent is only for location agent`);
    if (r.command === 'custom' && !r.script) throw new ConfigError(`${key}: command custom needs script (a name in the collectors' activeResponse.scripts)`);
    if (r.command !== 'custom' && r.script) throw new ConfigError(`${key}: script is only for command custom`);
  });
  try {
    buildAllowList(config.allow.addresses, config.allow.users);
  } catch (err) {
    throw new ConfigError(`responder.allow.addresses: ${(err as Error).message}`);
  }
}
