import { readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { VigilError, type ArCommand } from '@vigil/common';
import type { ActiveResponseConfig } from '../active-response-config.ts';
import {
  iptablesRule,
  isAbsentElementError,
  nftAddElement,
  nftDeleteElement,
  nftListChain,
  nftSetupScript,
} from '../core/active-response/firewall-commands.ts';
import { addHostsDeny, removeHostsDeny } from '../core/active-response/hosts-deny.ts';
import { checkKeysOf, checkKeysReply, scriptMessage, type ScriptAction } from '../core/active-response/script-protocol.ts';
import type { CommandRunner, RunResult } from './command-runner.ts';

export type Action = 'add' | 'delete';

/** A command or revert that did not run through (AR_FAILED), with what the tool said. */
export class ResponseFailedError extends VigilError {
  constructor(message: string, details: Record<string, unknown>) {
    super('AR_FAILED', message, { details, temporary: true });
    this.name = 'ResponseFailedError';
  }
}

function check(result: RunResult, argv: readonly string[], command: ArCommand): RunResult {
  if (result.code !== 0) {
    throw new ResponseFailedError(`${argv.join(' ')} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`, { id: command.id, argv });
  }
  return result;
}

/** Runs the built-in responses and custom scripts, each with its revert (`delete`). */
export class ResponseExecutor {
  private backend: 'nftables' | 'iptables' | undefined;

  constructor(
    private readonly config: ActiveResponseConfig,
    private readonly runner: CommandRunner,
    /** Keys (addresses, users) this collector currently acts on per script, for check_keys. */
    private readonly activeKeys: (command: ArCommand) => ReadonlySet<string>,
  ) {}

  async run(command: ArCommand, action: Action): Promise<string> {
    switch (command.command) {
      case 'firewall-drop':
        return await this.firewallDrop(command, action);
      case 'host-deny':
        return this.hostDeny(command, action);
      case 'disable-account':
        return await this.disableAccount(command, action);
      case 'custom':
        return await this.custom(command, action);
    }
  }

  /** nftables when `nft` works (behind the prefix), else iptables; decided once. */
  async firewallBackend(): Promise<'nftables' | 'iptables'> {
    if (this.backend) return this.backend;
    if (this.config.firewall !== 'auto') return (this.backend = this.config.firewall);
    const probe = await this.runner.run(['nft', '--version']);
    return (this.backend = probe.code === 0 ? 'nftables' : 'iptables');
  }

  private async firewallDrop(command: ArCommand, action: Action): Promise<string> {
    const address = command.srcip as string;
    const table = this.config.nftTable;
    if ((await this.firewallBackend()) === 'nftables') {
      if (action === 'add') {
        if ((await this.runner.run(nftListChain(table))).code !== 0) {
          check(await this.runner.run(['nft', '-f', '-'], { input: nftSetupScript(table) }), ['nft', '-f', '-'], command);
        }
        // Delete first so that a repeated offence gets the new (longer) timeout; absent is fine.
        await this.runner.run(nftDeleteElement(table, address));
        const argv = nftAddElement(table, address, command.timeoutSeconds);
        check(await this.runner.run(argv), argv, command);
        return `${address} added to nftables set inet ${table}${command.timeoutSeconds > 0 ? ` for ${command.timeoutSeconds}s` : ''}`;
      }
      const argv = nftDeleteElement(table, address);
      const r = await this.runner.run(argv);
      if (r.code !== 0 && !isAbsentElementError(r.stderr) && (await this.runner.run(nftListChain(table))).code === 0) check(r, argv, command);
      return `${address} removed from nftables set inet ${table}`;
    }
    if (action === 'add') {
      if ((await this.runner.run(iptablesRule('-C', address))).code !== 0) {
        const argv = iptablesRule('-I', address);
        check(await this.runner.run(argv), argv, command);
      }
      return `${address} dropped by iptables INPUT`;
    }
    while ((await this.runner.run(iptablesRule('-C', address))).code === 0) {
      const argv = iptablesRule('-D', address);
      check(await this.runner.run(argv), argv, command);
    }
    return `${address} no longer dropped by iptables INPUT`;
  }

  private hostDeny(command: ArCommand, action: Action): string {
    const path = this.config.hostsDenyPath;
    const address = command.srcip as string;
    try {
      const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const next = action === 'add' ? addHostsDeny(text, address) : removeHostsDeny(text, address);
      if (next !== text) {
        writeFileSync(`${path}.vigil-tmp`, next);
        renameSync(`${path}.vigil-tmp`, path);
      }
    } catch (cause) {
      throw new ResponseFailedError(`cannot edit ${path}: ${(cause as Error).message}`, { id: command.id, path });
    }
    return `${address} ${action === 'add' ? 'added to' : 'removed from'} ${path}`;
  }

  private async disableAccount(command: ArCommand, action: Action): Promise<string> {
    const user = command.user as string;
    // -L locks the password, -e 1 expires the account (which also stops key-based logins through PAM's account check).
    const argv = action === 'add' ? ['usermod', '-L', '-e', '1', '--', user] : ['usermod', '-U', '-e', '', '--', user];
    check(await this.runner.run(argv), argv, command);
    return `account ${user} ${action === 'add' ? 'locked and expired' : 'unlocked'}`;
  }

  private async custom(command: ArCommand, action: ScriptAction): Promise<string> {
    const path = this.config.scripts[command.script as string];
    if (!path) throw new ResponseFailedError(`unknown script ${command.script}`, { id: command.id });
    const child = this.runner.spawn([path]);
    let stdout = '';
    let stderr = '';
    let answered = false;
    const active = this.activeKeys(command);
    child.stdin?.on('error', () => {});
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const nl = stdout.indexOf('\n');
      if (!answered && nl >= 0) {
        answered = true;
        const keys = checkKeysOf(stdout.slice(0, nl));
        if (keys !== undefined) child.stdin?.write(checkKeysReply(keys, active));
        child.stdin?.end();
      }
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin?.write(scriptMessage(command, action, path));
    // delete commands get no check_keys in Wazuh; a script that says nothing is given EOF after the message.
    if (action === 'delete') {
      answered = true;
      child.stdin?.end();
    }
    const code = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), this.config.scriptTimeoutSeconds * 1000);
      child.on('error', () => resolve(127));
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c ?? 1);
      });
    });
    if (code !== 0) throw new ResponseFailedError(`script ${command.script} (${path}) ${action} exited ${code}: ${stderr.trim()}`, { id: command.id, path });
    return `script ${command.script} ${action} ran`;
  }
}
