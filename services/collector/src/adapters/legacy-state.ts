import { existsSync, renameSync } from 'node:fs';
import type { Logger } from '@vigil/common';
import { StateStore } from './state-store.ts';
import { readRange } from './file-tailer.ts';
import type { SpoolStore } from './spool-store.ts';
import { fileCheckpoint } from '../sources/log-files.ts';

/**
 * Moves the walking skeleton's JSON state (offsets, next sequence, a batch in flight) into the spool once, so an
 * upgraded collector neither re-reads nor skips lines. The in-flight batch is spooled again under its old ids
 * (JetStream drops the copies it already has). The JSON file is then renamed `.migrated`.
 */
export function migrateLegacyState(stateDir: string, agentId: string, spool: SpoolStore, maxLineBytes: number, logger: Logger): void {
  const store = new StateStore(stateDir, agentId);
  if (!existsSync(store.path)) return;
  const state = store.load();
  spool.advanceSeq(state.nextSeq);
  const checkpoints: Record<string, unknown> = {};
  for (const [path, offset] of Object.entries(state.files)) checkpoints[fileCheckpoint(path)] = offset;
  const inflight = state.inflight;
  if (inflight) {
    try {
      const lines = readRange(inflight.path, inflight.from, inflight.to, maxLineBytes);
      spool.restore(lines.map((l, i) => ({ seq: inflight.firstSeq + i, draft: { kind: 'log', location: inflight.path, log: l.text, truncated: l.truncated } })));
    } catch (err) {
      logger.error({ err, path: inflight.path }, 'the batch in flight at the last stop is no longer readable');
    }
    checkpoints[fileCheckpoint(inflight.path)] = { inode: inflight.inode, offset: inflight.to };
  }
  spool.append([], checkpoints);
  renameSync(store.path, `${store.path}.migrated`);
  logger.info({ from: store.path }, 'collector state migrated into the spool');
}
