import { errorMessage, type Logger } from '@vigil/common';
import { watchRuleset, type RulesetWatch } from './ruleset-watch.ts';

/** A problem found while loading a ruleset, where it is. */
export interface RulesetProblem {
  file: string;
  line: number;
  message: string;
}

/** What a stage read from its ruleset paths: the content hash, and how to compile it (aside, not yet in use). */
export interface RulesetRead<T> {
  hash: string;
  compile(): { errors: readonly RulesetProblem[]; warnings: readonly RulesetProblem[]; value: T };
}

export type ReloadResult =
  | { result: 'unchanged'; hash: string }
  | { result: 'applied'; hash: string; previous: string; warnings: readonly RulesetProblem[] }
  | { result: 'refused'; hash: string; errors: readonly RulesetProblem[] };

export interface RulesetReloaderOptions<T> {
  /** `decoder` or `rule-engine`: named in the logs. */
  service: string;
  /** The ruleset paths (watched). */
  paths: readonly string[];
  /** The hash of the ruleset running now. */
  hash: string;
  logger: Logger;
  /** Watch the paths (default true); otherwise only SIGHUP and `reload()` reload. */
  watch?: boolean;
  debounceMs?: number;
  /** Re-read the files this often even without a change seen (0: never). */
  pollMs?: number;
  /** Reload on SIGHUP (default true). */
  sighup?: boolean;
  /** Reads the files (may throw: a file that cannot be read refuses the reload). */
  read(): RulesetRead<T>;
  /** Puts a compiled ruleset in service (between two batches). */
  apply(value: T, hash: string): Promise<void>;
  /** A reload was refused: raise the alert. Called once per refused content. */
  refused(hash: string, errors: readonly RulesetProblem[]): Promise<void>;
}

export interface RulesetReloader {
  /** The hash of the ruleset in service. */
  readonly hash: string;
  /** Re-reads the paths now; a call during a reload runs once that one is done. */
  reload(reason?: string): Promise<ReloadResult>;
  close(): void;
}

/**
 * Hot reload of a stage's ruleset: on a change under its paths (debounced), on SIGHUP or on `reload()`, reads the
 * files; when their content hash differs from the running one, compiles them aside; with zero errors the new
 * ruleset replaces the running one (`apply`), otherwise the running one stays, every error is logged with its
 * `file:line`, and `refused` raises one alert for that content (not again until the content changes).
 */
export function startRulesetReloader<T>(options: RulesetReloaderOptions<T>): RulesetReloader {
  const logger = options.logger.child({ service: options.service });
  let running = options.hash;
  let refusedHash: string | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let pending: Promise<ReloadResult> | undefined;
  let closed = false;

  const once = async (reason: string): Promise<ReloadResult> => {
    let read: RulesetRead<T>;
    try {
      read = options.read();
    } catch (err) {
      const errors = [{ file: options.paths.join(','), line: 0, message: errorMessage(err) }];
      return await refuse(`unreadable:${errors[0]?.message ?? ''}`, errors, reason);
    }
    if (read.hash === running || read.hash === refusedHash) return { result: 'unchanged', hash: read.hash };
    const compiled = read.compile();
    if (compiled.errors.length > 0) return await refuse(read.hash, compiled.errors, reason);
    for (const w of compiled.warnings) logger.warn({ file: w.file, line: w.line }, w.message);
    await options.apply(compiled.value, read.hash);
    const previous = running;
    running = read.hash;
    refusedHash = undefined;
    logger.info({ hash: read.hash, previous, reason }, 'ruleset reloaded');
    return { result: 'applied', hash: read.hash, previous, warnings: compiled.warnings };
  };

  const refuse = async (hash: string, errors: readonly RulesetProblem[], reason: string): Promise<ReloadResult> => {
    if (hash === refusedHash) return { result: 'unchanged', hash };
    refusedHash = hash;
    for (const e of errors) logger.error({ file: e.file, line: e.line, code: 'RULESET_INVALID' }, `${e.file}:${e.line}: ${e.message}`);
    logger.error({ hash, running, errors: errors.length, reason }, 'ruleset reload refused: the running ruleset stays');
    try {
      await options.refused(hash, errors);
    } catch (err) {
      logger.error({ err: errorMessage(err) }, 'cannot raise the alert of a refused ruleset reload');
    }
    return { result: 'refused', hash, errors };
  };

  const reload = (reason = 'requested'): Promise<ReloadResult> => {
    // Changes during a reload coalesce into one more reload after it.
    if (pending) return pending;
    const next = chain.then(() => {
      pending = undefined;
      return once(reason);
    });
    pending = next;
    chain = next.catch((err: unknown) => logger.error({ err: errorMessage(err) }, 'ruleset reload failed'));
    return next;
  };

  const background = (reason: string) => () => {
    if (!closed) void reload(reason).catch(() => {});
  };
  const watcher: RulesetWatch | undefined =
    options.watch === false
      ? undefined
      : watchRuleset(options.paths, {
          debounceMs: options.debounceMs ?? 500,
          pollMs: options.pollMs ?? 60_000,
          changed: background('files changed'),
          onError: (folder, err) => logger.warn({ folder, err: err.message }, 'cannot watch a ruleset folder (SIGHUP still reloads)'),
        });
  const onHup = background('SIGHUP');
  if (options.sighup !== false) process.on('SIGHUP', onHup);

  return {
    get hash() {
      return running;
    },
    reload,
    close() {
      closed = true;
      watcher?.close();
      process.off('SIGHUP', onHup);
    },
  };
}
