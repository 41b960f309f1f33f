import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorMessage, type Logger } from '@vigil/common';
import type { LogFileConfig } from '../config.ts';
import type { FileOffset } from '../core/collector-state.ts';
import { collectorNotice } from '../core/collector-notice.ts';
import { hasGlob } from '../core/glob-pattern.ts';
import { groupMultiline } from '../core/multiline-records.ts';
import type { EventDraft } from '../core/raw-event.ts';
import { FileTailer, type LineBatch } from '../adapters/file-tailer.ts';
import { expandGlob } from '../adapters/glob-expander.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import type { EventSource } from './event-source.ts';

interface Followed {
  path: string;
  spec: LogFileConfig;
  tailer: FileTailer;
  start: RegExp | undefined;
  /** A multi-line record waiting for more lines: where it starts and since when. */
  pending: { from: number; since: number } | undefined;
  saved: string;
  reported: string | undefined;
  binaryReported: number | undefined;
}

export const fileCheckpoint = (path: string) => `file:${path}`;

const SYSLOG: Omit<LogFileConfig, 'path'> = { startAt: 'end', format: 'syslog', multilineTimeoutMs: 1000 };

/**
 * Log files like Wazuh's <localfile>: plain files and globs (expanded again on an interval, so new files are
 * followed from their start), formats syslog / json / multi-line-regex, offsets kept in the spool's checkpoints.
 * Unreadable files, vanished directories, binary content and non-JSON lines in a json file are reported as
 * notices; none of them stops the collector.
 */
export class LogFilesSource implements EventSource {
  readonly name = 'log-files';
  private readonly followed = new Map<string, Followed>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private lastExpand = 0;
  private readonly dirs = new Map<string, boolean>();
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: {
      files: LogFileConfig[];
      hostLogPaths: string[];
      spool: SpoolStore;
      logger: Logger;
      maxLineBytes: number;
      batchLines: number;
      pollIntervalMs: number;
      globRefreshMs: number;
    },
  ) {}

  describe(): string[] {
    return [...this.followed.keys()];
  }

  async start(): Promise<void> {
    const { hostLogPaths } = this.options;
    for (const p of hostLogPaths) {
      try {
        if (statSync(p).isFile()) this.follow(p, { path: p, ...SYSLOG }, true);
      } catch {
        // not on this host
      }
    }
    this.expand(true);
    let ready: () => void = () => {};
    const first = new Promise<void>((r) => (ready = r));
    this.loop = (async () => {
      let isFirst = true;
      while (!this.stopping) {
        let busy = false;
        try {
          if (Date.now() - this.lastExpand >= this.options.globRefreshMs) this.expand(false);
          busy = this.cycle();
        } catch (err) {
          this.options.logger.error({ err }, 'log file cycle failed');
        }
        if (isFirst) {
          isFirst = false;
          ready();
        }
        if (!busy && !this.stopping) await this.sleep(this.options.pollIntervalMs);
      }
    })();
    this.options.logger.info({ paths: this.describe() }, 'following log files');
    await first;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    for (const f of this.followed.values()) f.tailer.close();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      this.wake = () => {
        clearTimeout(t);
        r();
      };
    }).finally(() => (this.wake = undefined));
  }

  private follow(path: string, spec: LogFileConfig, atStart: boolean): void {
    if (this.followed.has(path)) return;
    const { spool, maxLineBytes } = this.options;
    const remembered = spool.checkpoint<FileOffset>(fileCheckpoint(path));
    const tailer = new FileTailer(path, maxLineBytes, remembered, atStart && spec.startAt === 'end');
    this.followed.set(path, {
      path,
      spec,
      tailer,
      start: spec.format === 'multi-line-regex' && spec.multilineStart ? new RegExp(spec.multilineStart) : undefined,
      pending: undefined,
      saved: JSON.stringify(remembered ?? null),
      reported: undefined,
      binaryReported: undefined,
    });
  }

  /** Expands the globs again and notices directories that vanished (or came back). */
  private expand(atStart: boolean): void {
    this.lastExpand = Date.now();
    for (const spec of this.options.files) {
      const path = resolve(spec.path);
      if (hasGlob(path)) for (const match of expandGlob(path)) this.follow(match, spec, atStart);
      else this.follow(path, spec, atStart);
    }
    const notices: EventDraft[] = [];
    for (const dir of new Set([...this.followed.keys()].map((p) => dirname(p)))) {
      const exists = existsSync(dir);
      const before = this.dirs.get(dir);
      if (before === true && !exists) notices.push(collectorNotice('directory_vanished', dir, 'the directory of followed log files no longer exists'));
      this.dirs.set(dir, exists);
    }
    if (notices.length > 0) this.options.spool.append(notices);
  }

  /** One pass over every file; true if anything was spooled (so the next pass comes at once). */
  private cycle(): boolean {
    const { spool, batchLines } = this.options;
    let didWork = false;
    for (const f of this.followed.values()) {
      if (this.stopping || !spool.hasRoom()) break;
      let batch: LineBatch | undefined;
      try {
        batch = f.tailer.read(batchLines);
      } catch (err) {
        this.report(f, 'EREAD', () => collectorNotice('file_unreadable', f.path, errorMessage(err)));
        continue;
      }
      const openError = f.tailer.openError;
      if (openError && openError !== 'ENOENT') this.report(f, openError, () => collectorNotice('file_unreadable', f.path, `cannot open: ${openError}`, { code: openError }));
      else if (!openError && batch) f.reported = undefined;
      if (!batch) {
        this.savePosition(f);
        continue;
      }
      if (this.take(f, batch)) didWork = true;
    }
    return didWork;
  }

  private report(f: Followed, code: string, notice: () => EventDraft): void {
    if (f.reported === code) return;
    f.reported = code;
    this.options.spool.append([notice()]);
  }

  private savePosition(f: Followed): void {
    const pos = f.tailer.position();
    const text = JSON.stringify(pos ?? null);
    if (pos && text !== f.saved) {
      this.options.spool.setCheckpoint(fileCheckpoint(f.path), pos);
      f.saved = text;
    }
  }

  /** Turns a batch into events, spools them with the new offset, and commits the tailer. */
  private take(f: Followed, batch: LineBatch): boolean {
    const drafts: EventDraft[] = [];
    let to = batch.to;
    let binary = 0;
    let invalidJson = 0;
    const location = f.path;
    if (f.start) {
      const now = Date.now();
      const expired = f.pending !== undefined && f.pending.from === batch.from && now - f.pending.since >= (f.spec.multilineTimeoutMs ?? 1000);
      const full = batch.lines.length >= this.options.batchLines;
      const { records, pendingFrom } = groupMultiline(batch.lines, f.start, expired || full);
      for (const r of records) drafts.push({ kind: 'log', location, log: r.text, ...(r.truncated ? { truncated: true } : {}) });
      if (pendingFrom !== undefined) {
        to = records.length > 0 ? (records[records.length - 1] as { endOffset: number }).endOffset : batch.from;
        if (f.pending?.from !== to) f.pending = { from: to, since: now };
      } else f.pending = undefined;
      if (to === batch.from) return false; // only a record still waiting for its continuation
    } else {
      for (const line of batch.lines) {
        if (line.text.includes('\u0000')) {
          binary++;
          continue;
        }
        if (f.spec.format === 'json' && !isJsonObject(line.text)) invalidJson++;
        drafts.push({ kind: 'log', location, log: line.text, ...(line.truncated ? { truncated: true } : {}) });
      }
    }
    if (binary > 0 && f.binaryReported !== batch.inode) {
      f.binaryReported = batch.inode;
      drafts.push(collectorNotice('binary_content', f.path, `${binary} line(s) with NUL bytes not sent`, { lines: binary }));
    }
    if (invalidJson > 0) drafts.push(collectorNotice('invalid_json', f.path, `${invalidJson} line(s) are not JSON objects (sent as plain lines)`, { lines: invalidJson }));
    const position: FileOffset = { inode: batch.inode, offset: to };
    this.options.spool.append(drafts, { [fileCheckpoint(f.path)]: position });
    f.tailer.commit(batch.inode, to);
    f.saved = JSON.stringify(position);
    return true;
  }
}

function isJsonObject(text: string): boolean {
  const t = text.trimStart();
  if (!t.startsWith('{')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
