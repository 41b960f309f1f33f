/** What the collector remembers across restarts: where each file was read to and the next event sequence. */
export interface FileOffset {
  inode: number;
  offset: number;
  /** Base64 of the bytes just before `offset`, to notice a file truncated and rewritten while stopped. */
  fp?: string | undefined;
}

/** A batch published but not yet confirmed: replayed with the same ids on restart, so JetStream drops repeats. */
export interface InflightBatch {
  path: string;
  inode: number;
  from: number;
  to: number;
  firstSeq: number;
}

export interface CollectorState {
  version: 1;
  nextSeq: number;
  files: Record<string, FileOffset>;
  inflight?: InflightBatch | undefined;
}

export function emptyState(): CollectorState {
  return { version: 1, nextSeq: 0, files: {} };
}

export function parseState(text: string): CollectorState {
  const value = JSON.parse(text) as Partial<CollectorState>;
  if (value.version !== 1 || typeof value.nextSeq !== 'number' || typeof value.files !== 'object' || value.files === null) {
    throw new Error('not a collector state file (version 1)');
  }
  return { version: 1, nextSeq: value.nextSeq, files: value.files, inflight: value.inflight };
}
