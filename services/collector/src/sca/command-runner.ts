import { spawn } from 'node:child_process';
import type { CommandOutcome, CommandRunner } from './host-access.ts';
import { planCommand } from './command-line.ts';

/**
 * Runs `c:` rule commands as child processes: without a shell unless the command needs one (command-line.ts),
 * in their own process group, with stdout and stderr read together (as Wazuh does), and with a time limit: at
 * the limit the whole group is killed and the rule is not applicable with that reason.
 */

export interface CommandRunnerOptions {
  timeoutMs: number;
  /** Words put before every command, e.g. `['chroot', '/host']` or `['nsenter', '-t', '1', '-m', '--']`. */
  wrapper?: readonly string[];
  /** When set, no command runs: every command rule is not applicable with this reason. */
  disabledReason?: string;
  /** Output kept per command; the rest is read and dropped. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LC_ALL: 'C',
  LANG: 'C',
};

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export class ChildProcessRunner implements CommandRunner {
  constructor(private readonly options: CommandRunnerOptions) {}

  run(command: string): Promise<CommandOutcome> {
    const { timeoutMs, disabledReason } = this.options;
    if (disabledReason !== undefined) return Promise.resolve({ kind: 'disabled', reason: disabledReason });
    const plan = planCommand(command);
    const argv = [...(this.options.wrapper ?? []), ...plan.argv];
    if (argv.length === 0) return Promise.resolve({ kind: 'failed', message: `Empty command '${command}'` });
    const maxBytes = this.options.maxOutputBytes ?? 1024 * 1024;

    return new Promise<CommandOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: CommandOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const chunks: Buffer[] = [];
      let kept = 0;
      const child = spawn(argv[0] as string, argv.slice(1), {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: this.options.env ?? DEFAULT_ENV,
      });
      const collect = (chunk: Buffer) => {
        if (kept >= maxBytes) return;
        const part = chunk.subarray(0, maxBytes - kept);
        chunks.push(part);
        kept += part.length;
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => {
        killGroup(child.pid);
        child.stdout.destroy();
        child.stderr.destroy();
        child.unref();
        finish({ kind: 'timed-out', limitMs: timeoutMs });
      }, timeoutMs);
      child.on('error', (err: NodeJS.ErrnoException) => {
        finish({ kind: 'failed', message: `Invalid path or wrong permissions to run command '${command}': ${err.code ?? err.message}` });
      });
      child.on('close', (code, signal) => {
        if (code === 127) finish({ kind: 'failed', message: `Invalid path or wrong permissions to run command '${command}' (exit code 127)` });
        else if (code === null) finish({ kind: 'failed', message: `Command '${command}' was killed by ${signal ?? 'a signal'}` });
        else finish({ kind: 'exited', exitCode: code, output: Buffer.concat(chunks).toString('utf8') });
      });
    });
  }
}
