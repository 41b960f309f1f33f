import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { splitLines, type SplitLine } from '../core/line-splitter.ts';
import type { FileOffset } from '../core/collector-state.ts';

/** New complete lines read from one file, between two byte offsets of one inode. */
export interface LineBatch {
  path: string;
  inode: number;
  from: number;
  to: number;
  lines: SplitLine[];
}

interface OpenFile {
  fd: number;
  inode: number;
  offset: number;
  skipping: boolean;
  /** A rotated-away file still being read to its end. */
  draining: boolean;
}

const CHUNK = 1 << 20;

/**
 * Follows one log file: appends, rotation by rename (the old file is read to its end before the new one is
 * opened), truncation (reading restarts at 0) and a file that appears later (read from its start).
 */
export class FileTailer {
  readonly path: string;
  private current: OpenFile | undefined;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);

  constructor(
    path: string,
    private readonly maxLineBytes: number,
    private remembered: FileOffset | undefined,
    private startAtEnd: boolean,
  ) {
    this.path = path;
    // Where to start is decided now: a file present at start-up begins at its end (or its remembered offset);
    // one that appears later, or replaces a rotated one, is read from its beginning.
    this.open();
    this.startAtEnd = false;
  }

  /** Position the tailer would resume from (what is committed once a batch is published). */
  position(): FileOffset | undefined {
    return this.current ? { inode: this.current.inode, offset: this.current.offset } : this.remembered;
  }

  /** Reads the next batch of complete lines, or returns undefined when there is nothing new. */
  read(maxLines: number): LineBatch | undefined {
    if (!this.current && !this.open()) return undefined;
    const file = this.current as OpenFile;
    let pathInode: number | undefined;
    let pathSize = 0;
    try {
      const st = statSync(this.path);
      pathInode = st.ino;
      pathSize = st.size;
    } catch {
      pathInode = undefined; // removed or renamed away: keep draining what we hold open
    }
    const size = fstatSync(file.fd).size;
    if (pathInode === file.inode && size < file.offset) {
      // Truncated in place (copytruncate): start over.
      file.offset = 0;
      file.skipping = false;
    }
    const batch = this.readFrom(file, size, maxLines);
    if (batch) return batch;
    if (pathInode !== undefined && pathInode !== file.inode) {
      // Rotated, and the old file is read to its end: switch to the new file, from its start.
      closeSync(file.fd);
      this.current = undefined;
      this.remembered = { inode: pathInode, offset: 0 };
      if (!this.open()) return undefined;
      return this.readFrom(this.current as unknown as OpenFile, pathSize, maxLines);
    }
    return undefined;
  }

  /** Records that everything up to `offset` of `inode` has been published. */
  commit(inode: number, offset: number): void {
    if (this.current && this.current.inode === inode) this.current.offset = Math.max(this.current.offset, offset);
  }

  close(): void {
    if (this.current) closeSync(this.current.fd);
    this.current = undefined;
  }

  private open(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return false; // absent for now; it may appear later
    }
    const st = fstatSync(fd);
    let offset = 0;
    if (this.remembered && this.remembered.inode === st.ino) offset = this.remembered.offset <= st.size ? this.remembered.offset : 0;
    else if (!this.remembered && this.startAtEnd) offset = st.size;
    this.current = { fd, inode: st.ino, offset, skipping: false, draining: false };
    this.remembered = { inode: st.ino, offset };
    return true;
  }

  private readFrom(file: OpenFile, size: number, maxLines: number): LineBatch | undefined {
    if (size <= file.offset) return undefined;
    const lines: SplitLine[] = [];
    let position = file.offset;
    let skipping = file.skipping;
    while (position < size && lines.length < maxLines) {
      const n = readSync(file.fd, this.buffer, 0, Math.min(CHUNK, size - position), position);
      if (n <= 0) break;
      const result = splitLines(this.buffer.subarray(0, n), position, this.maxLineBytes, skipping);
      let taken = result.lines;
      if (lines.length + taken.length > maxLines) taken = taken.slice(0, maxLines - lines.length);
      lines.push(...taken);
      if (taken.length < result.lines.length) {
        position = (taken[taken.length - 1] as SplitLine).endOffset;
        skipping = false;
        break;
      }
      skipping = result.skipping;
      if (result.consumedTo === position) break; // only an incomplete line left
      position = result.consumedTo;
    }
    if (position === file.offset) return undefined;
    const from = file.offset;
    // The offset advances only on commit; remember the skip state for the next read of this range.
    file.skipping = skipping;
    return { path: this.path, inode: file.inode, from, to: position, lines };
  }
}

/** Reads the complete lines of `path` between two offsets: used to replay an unconfirmed batch after a crash. */
export function readRange(path: string, from: number, to: number, maxLineBytes: number): SplitLine[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(to - from);
    const n = readSync(fd, buf, 0, to - from, from);
    return splitLines(buf.subarray(0, n), from, maxLineBytes).lines;
  } finally {
    closeSync(fd);
  }
}
