import { Type, type Static } from '@sinclair/typebox';
import { isAbsolute } from 'node:path';
import { buildAllowList, ConfigError } from '@vigil/common';

/** The collector's side of active response: whether it executes commands, and what it never acts on. */
export const ActiveResponseConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Execute the responder\'s commands (hids.ar.<agent>); off: none is read' }),
    allow: Type.Object(
      {
        addresses: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description: 'Addresses and CIDRs never blocked, besides loopback and this host\'s own addresses (pod/service CIDRs, admins)',
        }),
        users: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Users never locked, besides root' }),
      },
      { additionalProperties: false, default: { addresses: [], users: [] } },
    ),
    firewall: Type.Union([Type.Literal('auto'), Type.Literal('nftables'), Type.Literal('iptables')], {
      default: 'auto',
      description: 'firewall-drop backend; auto: nftables when `nft` runs, else iptables',
    }),
    nftTable: Type.String({ pattern: '^[A-Za-z0-9_]{1,32}$', default: 'vigil', description: 'The inet table holding the drop sets' }),
    hostsDenyPath: Type.String({ default: '/etc/hosts.deny', description: 'host-deny edits this file' }),
    scripts: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), Type.String({ minLength: 1 }), {
      default: {},
      description: 'custom responses: script name → absolute path; scripts speak Wazuh\'s active-response protocol (JSON on stdin)',
    }),
    scriptTimeoutSeconds: Type.Integer({ minimum: 1, default: 30 }),
    commandPrefix: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: 'Words put before every command run (tests: ["ip", "netns", "exec", "<ns>"])',
    }),
    revertCheckMs: Type.Integer({ minimum: 50, default: 1000, description: 'How often pending reverts are checked' }),
  },
  { additionalProperties: false, default: {} },
);
export type ActiveResponseConfig = Static<typeof ActiveResponseConfig>;

/** Checks what the schema cannot say; throws ConfigError naming the key. Called at start-up. */
export function checkActiveResponseConfig(config: ActiveResponseConfig): void {
  if (!config.enabled) return;
  try {
    buildAllowList(config.allow.addresses, config.allow.users);
  } catch (err) {
    throw new ConfigError(`collector.activeResponse.allow.addresses: ${(err as Error).message}`);
  }
  for (const [name, path] of Object.entries(config.scripts)) {
    if (!isAbsolute(path)) throw new ConfigError(`collector.activeResponse.scripts.${name}: '${path}' is not an absolute path`);
  }
}
