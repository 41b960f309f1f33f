import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VigilError } from '@vigil/common';
import { emptyState, parseState, type CollectorState } from '../core/collector-state.ts';

/** The collector state as a JSON file, replaced atomically (write, then rename) on every save. */
export class StateStore {
  readonly path: string;

  constructor(stateDir: string, agentId: string) {
    this.path = join(stateDir, `state-${agentId}.json`);
    mkdirSync(dirname(this.path), { recursive: true });
  }

  load(): CollectorState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw err;
    }
    try {
      return parseState(text);
    } catch (cause) {
      throw new VigilError('SPOOL_UNAVAILABLE', `${this.path}: corrupt collector state: ${(cause as Error).message}`, { cause });
    }
  }

  save(state: CollectorState): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
  }
}
