import { execFile } from 'node:child_process';
import type { Logger } from '@vigil/common';
import type { CommandConfig } from '../config.ts';
import { collectorNotice } from '../core/collector-notice.ts';
import { commandOutputEvents } from '../core/journal-entry.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import type { EventSource } from './event-source.ts';

/**
 * Runs a command on an interval (Wazuh's command / full_command) and spools its output, located at the alias.
 * A command that cannot run or times out is reported as a notice; the next run is tried as usual.
 */
export class CommandSource implements EventSource {
  readonly name: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: { command: CommandConfig; spool: SpoolStore; logger: Logger; maxLineBytes: number }) {
    this.name = `command:${options.command.alias ?? options.command.command}`;
  }

  describe(): string[] {
    return [`command: ${this.options.command.command}`];
  }

  async start(): Promise<void> {
    this.running = this.run();
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.run();
    }, this.options.command.frequencySeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    const { command, spool, maxLineBytes } = this.options;
    const alias = command.alias ?? command.command;
    try {
      if (this.stopped || !spool.hasRoom()) return; // the spool is full: skip this run rather than drop later
      const output = await new Promise<string>((resolve, reject) => {
        execFile('/bin/sh', ['-c', command.command], { timeout: command.timeoutSeconds * 1000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
          // Like Wazuh, a non-zero exit still reports the output; only a command that could not run is a failure.
          if (err && (err.killed || typeof err.code !== 'number')) reject(err);
          else resolve(stdout);
        });
      });
      const lines = commandOutputEvents(alias, output, command.full);
      spool.append(
        lines.map((log) => {
          const cut = Buffer.byteLength(log) > maxLineBytes;
          return { kind: 'log' as const, location: alias, log: cut ? Buffer.from(log).subarray(0, maxLineBytes).toString('utf8') : log, ...(cut ? { truncated: true } : {}) };
        }),
      );
    } catch (err) {
      try {
        spool.append([collectorNotice('command_failed', alias, (err as Error).message.split('\n')[0] ?? 'failed')]);
      } catch (spoolErr) {
        this.options.logger.error({ err: spoolErr, command: alias }, 'cannot spool the command failure');
      }
    } finally {
      this.running = undefined;
    }
  }
}
