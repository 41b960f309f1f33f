import type { ArCommand } from '@vigil/common';

/** Wazuh's active-response protocol (version 1): what a custom script reads on stdin and the check_keys exchange. Pure. */

export type ScriptAction = 'add' | 'delete';

export function scriptMessage(command: ArCommand, action: ScriptAction, program: string): string {
  const data: Record<string, string> = {};
  if (command.srcip) data['srcip'] = command.srcip;
  if (command.user) data['dstuser'] = command.user;
  return `${JSON.stringify({
    version: 1,
    origin: { name: 'vigil-collector', module: 'active-response' },
    command: action,
    parameters: {
      extra_args: [],
      alert: { id: command.alert.id, rule: command.alert.rule, agent: command.alert.agent, data },
      program,
    },
  })}\n`;
}

/** The keys a script asked about in its check_keys message, or undefined when the line is not one. */
export function checkKeysOf(line: string): string[] | undefined {
  try {
    const m = JSON.parse(line) as { command?: unknown; parameters?: { keys?: unknown } };
    if (m.command !== 'check_keys') return undefined;
    const keys = m.parameters?.keys;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return undefined;
  }
}

/** The executor's answer: abort when the keys are already acted on by this response (as Wazuh's execd), else continue. */
export function checkKeysReply(keys: readonly string[], active: ReadonlySet<string>): string {
  const command = keys.length > 0 && keys.every((k) => active.has(k)) ? 'abort' : 'continue';
  return `${JSON.stringify({ version: 1, origin: { name: 'vigil-collector', module: 'active-response' }, command, parameters: {} })}\n`;
}
