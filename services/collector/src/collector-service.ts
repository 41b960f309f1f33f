import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AgentRef, Bus, Logger, RawEvent } from '@vigil/common';
import type { CollectorConfig } from './config.ts';
import type { CollectorState } from './core/collector-state.ts';
import { logEvent } from './core/raw-event.ts';
import { FileTailer, readRange, type LineBatch } from './adapters/file-tailer.ts';
import { RawPublisher } from './adapters/raw-publisher.ts';
import { StateStore } from './adapters/state-store.ts';

export interface CollectorService {
  readonly agent: AgentRef;
  /** Paths being followed. */
  readonly paths: string[];
  /** Resolves once every watched file has been opened (or found absent) at least once. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

function watchedPaths(config: CollectorConfig): Array<{ path: string; startAtEnd: boolean }> {
  const seen = new Map<string, boolean>();
  for (const f of config.files) seen.set(resolve(f.path), f.startAt === 'end');
  if (config.hostLogs) {
    for (const p of config.hostLogPaths) {
      try {
        if (statSync(p).isFile() && !seen.has(p)) seen.set(p, true);
      } catch {
        // not on this host
      }
    }
  }
  return [...seen].map(([path, startAtEnd]) => ({ path, startAtEnd }));
}

/** Finds the file that now holds an inode (a rotated log), looking beside the original path. */
function findByInode(path: string, inode: number): string | undefined {
  try {
    if (statSync(path).ino === inode) return path;
  } catch {
    // gone: look at its siblings
  }
  const dir = dirname(path);
  try {
    for (const name of readdirSync(dir)) {
      const candidate = join(dir, name);
      try {
        if (statSync(candidate).ino === inode) return candidate;
      } catch {
        // raced with a removal
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export async function startCollector(options: {
  config: CollectorConfig;
  agent: AgentRef;
  bus: Bus;
  logger: Logger;
  now?: () => Date;
}): Promise<CollectorService> {
  const { config, agent, bus } = options;
  const logger = options.logger.child({ service: 'collector', agent: agent.id });
  const now = options.now ?? (() => new Date());
  const store = new StateStore(config.stateDir, agent.id);
  const state: CollectorState = store.load();
  const publisher = new RawPublisher(bus.js, bus.subjects, logger);
  const toEvents = (batch: { path: string; lines: LineBatch['lines'] }, firstSeq: number): RawEvent[] => {
    const at = now();
    return batch.lines.map((line, i) => logEvent(agent, firstSeq + i, batch.path, line.text, line.truncated, at));
  };

  // A batch that was being published when we stopped: publish it again with the same ids (JetStream drops
  // the copies it already has), so nothing is lost and nothing is doubled.
  if (state.inflight) {
    const inflight = state.inflight;
    const holder = findByInode(inflight.path, inflight.inode);
    if (holder) {
      const lines = readRange(holder, inflight.from, inflight.to, config.maxLineBytes);
      await publisher.publishAll(toEvents({ path: inflight.path, lines }, inflight.firstSeq));
      logger.info({ path: inflight.path, lines: lines.length }, 'replayed the batch in flight at the last stop');
    } else {
      logger.error({ path: inflight.path, inode: inflight.inode }, 'the batch in flight at the last stop is no longer on disk');
    }
    state.files[inflight.path] = { inode: inflight.inode, offset: inflight.to };
    state.inflight = undefined;
    store.save(state);
  }

  const watched = watchedPaths(config);
  const tailers = watched.map((w) => new FileTailer(w.path, config.maxLineBytes, state.files[w.path], w.startAtEnd));
  logger.info({ paths: watched.map((w) => w.path) }, 'following log files');

  let stopping = false;
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((r) => (readyResolve = r));

  const cycle = async (): Promise<boolean> => {
    let didWork = false;
    for (const tailer of tailers) {
      if (stopping) break;
      let batch: LineBatch | undefined;
      try {
        batch = tailer.read(config.batchLines);
      } catch (err) {
        logger.error({ err, path: tailer.path }, 'cannot read file; will try again');
        continue;
      }
      if (!batch) {
        const pos = tailer.position();
        if (pos && (state.files[tailer.path]?.inode !== pos.inode || state.files[tailer.path]?.offset !== pos.offset)) {
          state.files[tailer.path] = pos;
          store.save(state);
        }
        continue;
      }
      didWork = true;
      const firstSeq = state.nextSeq;
      state.inflight = { path: batch.path, inode: batch.inode, from: batch.from, to: batch.to, firstSeq };
      state.nextSeq = firstSeq + batch.lines.length;
      store.save(state);
      const stored = await publisher.publishAll(toEvents(batch, firstSeq));
      if (!stored) return didWork; // stopping: the in-flight record makes the next start re-send it
      tailer.commit(batch.inode, batch.to);
      state.files[batch.path] = { inode: batch.inode, offset: batch.to };
      state.inflight = undefined;
      store.save(state);
    }
    return didWork;
  };

  const loop = (async () => {
    let first = true;
    while (!stopping) {
      let busy = false;
      try {
        busy = await cycle();
      } catch (err) {
        logger.error({ err }, 'collector cycle failed');
      }
      if (first) {
        first = false;
        readyResolve();
      }
      if (!busy && !stopping) await new Promise((r) => setTimeout(r, config.pollIntervalMs));
    }
  })();

  return {
    agent,
    paths: watched.map((w) => w.path),
    ready,
    async stop() {
      stopping = true;
      publisher.stop();
      await loop;
      for (const t of tailers) t.close();
      logger.info('collector stopped');
    },
  };
}
