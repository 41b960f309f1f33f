import { canonicalAddress, isAllowedAddress, isAllowedUser, validators, type AllowList, type ArCommand } from '@vigil/common';

/** Users as usermod accepts them: no option-like or path-like names reach a command line. */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

export type Admission = { ok: true; command: ArCommand } | { ok: false; reason: string; id?: string };

/**
 * Whether a collector may execute a command. Pure. Refused: not JSON or not the schema, for another agent, a custom
 * script this collector does not have, a target missing or not an address/user name, an allow-listed target.
 */
export function admitCommand(data: Uint8Array | string, ctx: { agent: string; allow: AllowList; scripts: readonly string[] }): Admission {
  let command: ArCommand;
  try {
    command = validators.arCommand.parse(data);
  } catch (err) {
    const id = idOf(data);
    return { ok: false, reason: `not a well-formed command: ${(err as Error).message}`, ...(id ? { id } : {}) };
  }
  const refuse = (reason: string): Admission => ({ ok: false, reason, id: command.id });
  if (command.agent !== ctx.agent) return refuse(`command for agent ${command.agent}, this is ${ctx.agent}`);
  if (command.command === 'custom' && (!command.script || !ctx.scripts.includes(command.script))) {
    return refuse(`unknown script '${command.script ?? ''}' (not in collector.activeResponse.scripts)`);
  }
  if (command.command === 'firewall-drop' || command.command === 'host-deny') {
    if (!command.srcip) return refuse(`${command.command} without srcip`);
  }
  if (command.srcip !== undefined) {
    const address = canonicalAddress(command.srcip);
    if (!address) return refuse(`srcip '${command.srcip}' is not an IP address`);
    if (isAllowedAddress(ctx.allow, address)) return refuse(`srcip ${address} is allow-listed`);
    command = { ...command, srcip: address };
  }
  if (command.command === 'disable-account' && !command.user) return refuse('disable-account without user');
  if (command.user !== undefined) {
    if (!USER_NAME.test(command.user)) return refuse(`user '${command.user}' is not a valid user name`);
    if (isAllowedUser(ctx.allow, command.user)) return refuse(`user ${command.user} is allow-listed`);
  }
  return { ok: true, command };
}

function idOf(data: Uint8Array | string): string | undefined {
  try {
    const v = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)) as { id?: unknown };
    return typeof v.id === 'string' && /^[A-Za-z0-9_.:-]{1,200}$/.test(v.id) ? v.id : undefined;
  } catch {
    return undefined;
  }
}
