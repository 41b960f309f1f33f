import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScanResults } from './diff-scans.ts';

/**
 * The last result of every check, per policy id, kept in a JSON file (replaced atomically) so that a restarted
 * collector reports only what changed while it was down instead of every check again.
 */
export class ScanStateFile {
  constructor(readonly path: string) {}

  load(): Map<string, ScanResults> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    const doc = JSON.parse(text) as { version?: number; policies?: Record<string, ScanResults> };
    if (doc.version !== 1 || typeof doc.policies !== 'object' || doc.policies === null) throw new Error(`${this.path}: not an SCA state file (version 1)`);
    return new Map(Object.entries(doc.policies));
  }

  save(state: ReadonlyMap<string, ScanResults>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, policies: Object.fromEntries(state) }));
    renameSync(tmp, this.path);
  }
}
