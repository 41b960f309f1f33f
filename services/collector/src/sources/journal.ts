import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '@vigil/common';
import type { JournalConfig } from '../config.ts';
import { collectorNotice } from '../core/collector-notice.ts';
import { journalLine } from '../core/journal-entry.ts';
import type { EventDraft } from '../core/raw-event.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import type { EventSource } from './event-source.ts';

const CURSOR = 'journal:cursor';

/**
 * Follows the systemd journal with `journalctl -o json --follow`, from the cursor kept in the spool's checkpoints
 * (or from now on the first start). Entries become syslog-style lines located at `journald`. journalctl missing
 * or exiting is reported once and retried.
 */
export class JournalSource implements EventSource {
  readonly name = 'journal';
  private child: ChildProcess | undefined;
  private stopped = false;
  private reported = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { config: JournalConfig; spool: SpoolStore; logger: Logger; maxLineBytes: number; binary?: string; restartDelayMs?: number },
  ) {}

  describe(): string[] {
    return ['journald'];
  }

  async start(): Promise<void> {
    this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    }
  }

  private launch(): void {
    const { spool, config, logger } = this.options;
    const cursor = spool.checkpoint<string>(CURSOR);
    const args = ['-o', 'json', '--follow', '--no-pager', ...(cursor ? ['--after-cursor', cursor] : ['--lines', '0'])];
    if (config.directory) args.push('-D', config.directory);
    for (const unit of config.units) args.push('-u', unit);
    const child = spawn(this.options.binary ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let pending: EventDraft[] = [];
    let lastCursor: string | undefined;
    let paused = false;
    let flushTimer: NodeJS.Timeout | undefined;
    const flush = () => {
      flushTimer = undefined;
      if (pending.length === 0) return;
      try {
        spool.append(pending, lastCursor ? { [CURSOR]: lastCursor } : {});
        pending = [];
      } catch (err) {
        // Kept in memory and tried again with the next entries; the cursor has not moved past them.
        logger.error({ err }, 'cannot spool journal entries; will retry');
        flushTimer ??= setTimeout(flush, 1000);
      }
    };
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (text) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return; // journalctl writes one JSON object per line; anything else is not an entry
      }
      const parsed = journalLine(entry);
      if (parsed?.cursor) lastCursor = parsed.cursor;
      if (parsed) {
        const cut = Buffer.byteLength(parsed.line) > this.options.maxLineBytes;
        pending.push({ kind: 'log', location: 'journald', log: cut ? Buffer.from(parsed.line).subarray(0, this.options.maxLineBytes).toString('utf8') : parsed.line, ...(cut ? { truncated: true } : {}) });
      }
      if (pending.length >= 500) flush();
      else flushTimer ??= setTimeout(flush, 50);
      // The spool is full: stop reading; journalctl blocks on its pipe and resumes from where it was.
      if (!spool.hasRoom() && !paused) {
        paused = true;
        lines.pause();
        const retry = setInterval(() => {
          if (spool.hasRoom() || this.stopped) {
            clearInterval(retry);
            paused = false;
            lines.resume();
          }
        }, 500);
      }
    });
    let ended = false;
    const onEnd = (reason: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(flushTimer);
      flush();
      if (this.stopped) return;
      if (!this.reported) {
        this.reported = true;
        try {
          spool.append([collectorNotice('journal_unavailable', 'journald', reason)]);
        } catch (err) {
          logger.error({ err }, 'cannot spool the journal notice');
        }
        logger.warn({ reason }, 'journalctl is not running; retrying in 5 s');
      }
      this.restartTimer = setTimeout(() => this.launch(), this.options.restartDelayMs ?? 5000);
      this.restartTimer.unref();
    };
    child.on('error', (err) => onEnd(err.message));
    child.on('exit', (code) => {
      if (code !== null || !this.stopped) onEnd(`journalctl exited with ${code ?? 'a signal'}: ${stderr.trim().split('\n').pop() ?? ''}`);
    });
  }
}
