import { lstatSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, type Logger } from '@vigil/common';
import type { FimConfig } from '../fim-config.ts';
import { collectorNotice } from '../core/collector-notice.ts';
import { diffFileState, type FileChange } from '../core/fim/diff-file-state.ts';
import type { FileState } from '../core/fim/file-state.ts';
import { compileFimPolicy, depthBelow, directoryFor, isIgnored, isMonitored, isNoDiff, type FimPolicy } from '../core/fim/fim-policy.ts';
import { fimFullLog, syscheckObject, type FimMode, type WhoData } from '../core/fim/syscheck-payload.ts';
import { textDiff } from '../core/fim/text-diff.ts';
import { fimStatusLines } from '../core/fim/fim-status.ts';
import type { EventDraft } from '../core/raw-event.ts';
import { AccountNames } from '../adapters/account-names.ts';
import { FimBaseline } from '../adapters/fim-baseline.ts';
import { inspectFile } from '../adapters/file-inspector.ts';
import type { SpoolStore } from '../adapters/spool-store.ts';
import { AuditTrail } from '../adapters/audit-trail.ts';
import { addAuditWatch, auditUnavailableReason, removeAuditWatch } from '../adapters/audit-rules.ts';
import type { EventSource } from './event-source.ts';

type Directory = FimPolicy['directories'][number];

/** Who-data attribution of a file change (the audit trail), when the host allows it. */
export interface WhodataLookup {
  /** The most recent change of `path` seen in the audit log, waiting up to `waitMs` for its records. */
  lookup(path: string, waitMs: number): Promise<WhoData | undefined>;
}

export const NODIFF_TEXT = "Diff truncated due to 'nodiff' configuration detected for this file.";
const SPOOL_BATCH = 500;

/**
 * File integrity monitoring like Wazuh's syscheck: scheduled scans of the configured directories (the first one
 * builds the baseline silently), realtime checks of what inotify reports (one watch per directory), who-data
 * attribution where an audit trail is given, and text diffs for report_changes. Every change is spooled as a
 * raw event of kind `fim`, location `syscheck`, with `payload.syscheck` shaped as the alert's `syscheck` object.
 */
export class FimSource implements EventSource {
  readonly name = 'fim';
  private readonly policy: FimPolicy;
  private baseline: FimBaseline | undefined;
  private readonly names: AccountNames;
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Set<string>();
  private pendingTimer: NodeJS.Timeout | undefined;
  private scheduleTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private drafts: EventDraft[] = [];
  private readonly unreadable = new Set<string>();
  private readonly missingDirs = new Set<string>();
  private stopped = false;
  private watchWarned = false;
  private whodata: WhodataLookup | undefined;
  private auditTrail: AuditTrail | undefined;
  private readonly auditWatches: string[] = [];
  private whodataOff: string | undefined;

  constructor(
    private readonly options: {
      config: FimConfig;
      dbPath: string;
      spool: SpoolStore;
      logger: Logger;
      names?: AccountNames;
      whodata?: WhodataLookup | undefined;
    },
  ) {
    this.policy = compileFimPolicy(options.config);
    this.names = options.names ?? new AccountNames();
    this.whodata = options.whodata;
  }

  describe(): string[] {
    return this.policy.directories.map((d) => `fim: ${d.path}`);
  }

  status(): string[] {
    return fimStatusLines({ directories: this.policy.directories, whodataOff: this.whodataOff, frequencySeconds: this.options.config.frequencySeconds });
  }

  async start(): Promise<void> {
    const { config } = this.options;
    this.baseline = new FimBaseline(this.options.dbPath);
    this.startWhodata();
    const needBaseline = this.policy.directories.some((d) => !this.baseline?.isBaselined(d.path));
    if (config.scanOnStart || needBaseline) await this.scanNow();
    else for (const d of this.policy.directories) if (d.realtime || d.whodata) this.watchTree(d.path, d);
    this.scheduleTimer = setInterval(() => void this.scanNow(), config.frequencySeconds * 1000);
    this.scheduleTimer.unref();
  }

  /**
   * Who-data for directories marked so: audit watch rules through auditctl and the audit log followed. Without
   * auditd or the capability it says so once (a notice and a warning) and those directories stay in realtime mode.
   */
  private startWhodata(): void {
    const dirs = this.policy.directories.filter((d) => d.whodata);
    if (dirs.length === 0 || this.whodata) return;
    const { config, logger } = this.options;
    let reason = auditUnavailableReason();
    if (!reason) {
      for (const d of dirs) {
        const err = addAuditWatch(d.path, config.auditKey);
        if (err) {
          reason = `auditctl -w ${d.path}: ${err}`;
          break;
        }
        this.auditWatches.push(d.path);
      }
    }
    if (reason) {
      this.whodataOff = reason;
      this.removeAuditWatches();
      logger.warn({ reason }, 'who-data is not available: whodata directories are monitored in realtime mode');
      this.emit(collectorNotice('whodata_unavailable', dirs.map((d) => d.path).join(','), reason));
      this.flush();
      return;
    }
    this.auditTrail = new AuditTrail({ path: config.auditLog, names: this.names, logger });
    this.auditTrail.start();
    this.whodata = this.auditTrail;
    logger.info({ directories: this.auditWatches }, 'who-data: audit watches added');
  }

  private removeAuditWatches(): void {
    for (const path of this.auditWatches.splice(0)) {
      const err = removeAuditWatch(path, this.options.config.auditKey);
      if (err) this.options.logger.warn({ path, err }, 'cannot remove the audit watch');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.auditTrail?.stop();
    this.removeAuditWatches();
    clearInterval(this.scheduleTimer);
    clearTimeout(this.pendingTimer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.queue;
    this.baseline?.close();
  }

  /** A full scan of every directory now (the scheduled scan); resolves when its events are spooled. */
  scanNow(): Promise<void> {
    return this.enqueue(async () => {
      this.names.refresh();
      for (const d of this.policy.directories) {
        if (this.stopped) return;
        await this.scanTree(d.path, d, 'scheduled', d.realtime || d.whodata);
      }
    });
  }

  /** Number of directories watched for realtime changes. */
  watchedDirectories(): number {
    return this.watchers.size;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task).catch((err) => this.options.logger.error({ err }, 'fim task failed'));
    this.queue = run;
    return run;
  }

  /**
   * Scans `root` (the configured directory or a directory under it): files added or modified since the
   * baseline, and files of the baseline under `root` that are gone. The first scan of a configured directory
   * only records the baseline.
   */
  private async scanTree(root: string, dir: Directory, mode: FimMode, watching: boolean): Promise<void> {
    const baseline = this.baseline as FimBaseline;
    const silent = !baseline.isBaselined(dir.path);
    const known = baseline.under(root);
    const seen = new Set<string>();
    const puts: FileState[] = [];
    let visited = 0;
    const rootDepth = root === dir.path ? 0 : depthBelow(root, dir.path) + 1;
    if (root === dir.path && !this.isDirectory(root)) {
      if (!this.missingDirs.has(root)) {
        this.missingDirs.add(root);
        this.emit(collectorNotice('directory_vanished', root, 'a monitored directory does not exist'));
      }
    } else if (root === dir.path) this.missingDirs.delete(root);

    const walk = async (path: string, depth: number): Promise<void> => {
      if (watching) this.watchDirectory(path, dir);
      let entries;
      try {
        entries = readdirSync(path, { withFileTypes: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') this.reportUnreadable(path, err);
        return;
      }
      for (const entry of entries) {
        if (this.stopped) return;
        const full = path === '/' ? `/${entry.name}` : `${path}/${entry.name}`;
        if (isIgnored(this.policy, full) || directoryFor(this.policy, full) !== dir) continue;
        if (entry.isDirectory()) {
          if (depth + 1 <= dir.recursionLevel) await walk(full, depth + 1);
          continue;
        }
        if (!entry.isFile() || !isMonitored(this.policy, full)) continue;
        seen.add(full);
        this.checkFile(full, dir, known.get(full), mode, silent, puts);
        if (++visited % 256 === 0) {
          // Events first, then the baseline: a crash in between repeats an event rather than losing it.
          this.flush();
          baseline.apply(puts.splice(0), []);
          await new Promise((r) => setImmediate(r));
          // The spool is full (NATS away for long): wait rather than pile up more.
          while (!this.options.spool.hasRoom() && !this.stopped) await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    await walk(root, rootDepth);
    const deletes: string[] = [];
    for (const [path, state] of known) {
      if (seen.has(path) || directoryFor(this.policy, path) !== dir) continue;
      deletes.push(path);
      if (!silent) this.emitChange({ path, event: 'deleted', before: state, after: undefined, changedAttributes: [] }, dir, mode);
    }
    this.flush();
    baseline.apply(puts, deletes);
    if (root === dir.path && silent && !this.stopped) baseline.markBaselined(dir.path);
  }

  /** Compares one file with its baseline entry; queues the event and the new baseline state. */
  private checkFile(path: string, dir: Directory, before: FileState | undefined, mode: FimMode, silent: boolean, puts: FileState[], who?: WhoData): void {
    let after: FileState | undefined;
    try {
      after = inspectFile(path, dir.checks, this.options.config.maxFileBytes, this.names);
      this.unreadable.delete(path);
    } catch (err) {
      this.reportUnreadable(path, err);
      return;
    }
    if (!after) return;
    const change = diffFileState(before, after);
    if (!change) return;
    puts.push(after);
    if (!silent) this.emitChange(change, dir, mode, who);
    else if (dir.reportChanges) this.rememberText(path, dir, after);
  }

  private reportUnreadable(path: string, err: unknown): void {
    if (this.unreadable.has(path)) return;
    this.unreadable.add(path);
    this.emit(collectorNotice('file_unreadable', path, errorMessage(err), { source: 'fim' }));
  }

  private emitChange(change: FileChange, dir: Directory, mode: FimMode, who?: WhoData): void {
    let diff: string | undefined;
    if (dir.reportChanges) diff = this.contentDiff(change, dir);
    const syscheck = syscheckObject(change, who ? 'whodata' : mode, {
      ...(diff !== undefined ? { diff } : {}),
      ...(dir.tags.length > 0 ? { tags: dir.tags } : {}),
      ...(who ? { audit: who } : {}),
    });
    this.emit({ kind: 'fim', location: 'syscheck', payload: { syscheck, full_log: fimFullLog(syscheck) } });
  }

  /** The text diff of a modified small text file against the stored copy; the copy is updated. */
  private contentDiff(change: FileChange, dir: Directory): string | undefined {
    const baseline = this.baseline as FimBaseline;
    if (change.event === 'deleted') {
      baseline.setText(change.path, undefined);
      return undefined;
    }
    if (isNoDiff(this.policy, change.path)) return change.event === 'modified' ? NODIFF_TEXT : undefined;
    const previous = baseline.text(change.path);
    const now = this.rememberText(change.path, dir, change.after as FileState);
    if (change.event !== 'modified' || previous === undefined || now === undefined || previous === now) return undefined;
    return textDiff(previous, now);
  }

  /** Stores the text of a small text file for the next diff; returns it, or undefined if it is not one. */
  private rememberText(path: string, dir: Directory, state: FileState): string | undefined {
    const baseline = this.baseline as FimBaseline;
    if (!dir.reportChanges || isNoDiff(this.policy, path)) return undefined;
    if (state.size !== undefined && state.size > this.options.config.diffMaxBytes) {
      baseline.setText(path, undefined);
      return undefined;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    if (bytes.length > this.options.config.diffMaxBytes || bytes.includes(0)) {
      baseline.setText(path, undefined);
      return undefined;
    }
    const text = bytes.toString('utf8');
    baseline.setText(path, text);
    return text;
  }

  private emit(draft: EventDraft): void {
    this.drafts.push(draft);
    if (this.drafts.length >= SPOOL_BATCH) this.flush();
  }

  private flush(): void {
    if (this.drafts.length === 0) return;
    this.options.spool.append(this.drafts);
    this.drafts = [];
  }

  private isDirectory(path: string): boolean {
    try {
      return lstatSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  // ---- realtime ----

  private watchTree(path: string, dir: Directory): void {
    const walk = (p: string, depth: number) => {
      this.watchDirectory(p, dir);
      if (depth + 1 > dir.recursionLevel) return;
      let entries;
      try {
        entries = readdirSync(p, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = `${p}/${e.name}`;
        if (e.isDirectory() && !isIgnored(this.policy, full) && directoryFor(this.policy, full) === dir) walk(full, depth + 1);
      }
    };
    walk(path, path === dir.path ? 0 : depthBelow(path, dir.path) + 1);
  }

  private watchDirectory(path: string, dir: Directory): void {
    if (this.watchers.has(path) || this.stopped || !(dir.realtime || dir.whodata)) return;
    try {
      const watcher = watch(path, { persistent: false }, (_type, name) => this.changed(name ? join(path, name.toString()) : path));
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(path);
      });
      this.watchers.set(path, watcher);
    } catch (err) {
      // e.g. ENOSPC when fs.inotify.max_user_watches is reached: said once, the scans still cover the tree.
      if (!this.watchWarned) this.options.logger.warn({ path, err: errorMessage(err) }, 'cannot watch directory (and maybe more); they are still scanned on schedule');
      this.watchWarned = true;
    }
  }

  private changed(path: string): void {
    if (this.stopped) return;
    this.pending.add(path);
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => {
      const paths = [...this.pending];
      this.pending.clear();
      void this.enqueue(() => this.checkPaths(paths));
    }, this.options.config.realtimeDelayMs);
  }

  /** Checks what inotify reported: a file (added/modified/deleted), or a directory created, moved or removed. */
  private async checkPaths(paths: string[]): Promise<void> {
    const baseline = this.baseline as FimBaseline;
    for (const path of paths) {
      if (this.stopped) return;
      const dir = directoryFor(this.policy, path);
      if (!dir || isIgnored(this.policy, path)) continue;
      let kind: 'file' | 'dir' | 'other' | 'gone';
      try {
        const st = lstatSync(path);
        kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        kind = 'gone';
      }
      const who = dir.whodata && this.whodata ? await this.whodata.lookup(path, 500) : undefined;
      const silent = !baseline.isBaselined(dir.path);
      if (kind === 'dir') {
        if (path === dir.path || depthBelow(path, dir.path) < dir.recursionLevel) await this.scanTree(path, dir, 'realtime', true);
        continue;
      }
      const puts: FileState[] = [];
      const deletes: string[] = [];
      if (kind === 'file' && isMonitored(this.policy, path)) this.checkFile(path, dir, baseline.get(path), 'realtime', silent, puts, who);
      if (kind === 'gone' || kind === 'other') {
        // The path and, if it was a directory, everything under it are gone.
        const gone = baseline.under(path);
        const own = baseline.get(path);
        if (own) gone.set(path, own);
        for (const [p, state] of gone) {
          deletes.push(p);
          if (!silent) this.emitChange({ path: p, event: 'deleted', before: state, after: undefined, changedAttributes: [] }, dir, 'realtime', who);
        }
        for (const [w, watcher] of this.watchers) {
          if (w === path || w.startsWith(`${path}/`)) {
            watcher.close();
            this.watchers.delete(w);
          }
        }
      }
      this.flush();
      baseline.apply(puts, deletes);
    }
  }
}
