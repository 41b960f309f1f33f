import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  /** The last bytes before `offset`: if they change, the file was truncated and written again. */
  fingerprint: Buffer;
  /** Where the last read ended and whether it ended inside a cut line. */
  lastRead?: { to: number; skipping: boolean };
}

const CHUNK = 1 << 20;
const FINGERPRINT = 64;

function readFingerprint(fd: number, offset: number): Buffer {
  const length = Math.min(FINGERPRINT, offset);
  const buf = Buffer.alloc(length);
  const n = length > 0 ? readSync(fd, buf, 0, length, offset - length) : 0;
  return buf.subarray(0, n);
}

function fingerprintMatches(fd: number, offset: number, fingerprint: Buffer): boolean {
  if (fingerprint.length === 0) return true;
  return readFingerprint(fd, offset).equals(fingerprint);
}

/**
 * Follows one log file: appends, rotation by rename (the old file is read to its end before the new one is
 * opened), truncation in place (copytruncate: the rest of the old content is read from the copy beside it when
 * one is found, then the file from 0) and a file that appears later (read from its start). Truncation is seen
 * even when the file grew past the old offset again: the bytes just before the offset are compared.
 */
export class FileTailer {
  readonly path: string;
  /** Why the file could not be opened the last time it was tried (an errno code such as EACCES), if it could not. */
  openError: string | undefined;
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
    if (!this.current) return this.remembered;
    const fp = this.fingerprint();
    return { inode: this.current.inode, offset: this.current.offset, ...(fp ? { fp } : {}) };
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
    let size = fstatSync(file.fd).size;
    if (pathInode === file.inode && (size < file.offset || (size > file.offset && !fingerprintMatches(file.fd, file.offset, file.fingerprint)))) {
      // Truncated in place (copytruncate). What was not read yet is in the copy, if it is beside us: read it
      // from there to its end first; then the file from its start (the rotation branch below).
      const copy = this.findCopy(file);
      if (copy) {
        closeSync(file.fd);
        this.current = copy;
        return this.read(maxLines);
      }
      file.offset = 0;
      file.skipping = false;
      file.fingerprint = Buffer.alloc(0);
      size = fstatSync(file.fd).size;
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
    const file = this.current;
    if (!file || file.inode !== inode || offset <= file.offset) return;
    file.skipping = file.lastRead?.to === offset ? file.lastRead.skipping : false;
    file.offset = offset;
    file.fingerprint = readFingerprint(file.fd, offset);
  }

  /** The fingerprint (base64) of the committed position, kept with the offset to see truncation across restarts. */
  fingerprint(): string | undefined {
    return this.current && this.current.fingerprint.length > 0 ? this.current.fingerprint.toString('base64') : undefined;
  }

  /** A copy of the truncated file beside it (copytruncate): same bytes just before our offset, at least as long. */
  private findCopy(file: OpenFile): OpenFile | undefined {
    if (file.fingerprint.length === 0) return undefined;
    const dir = dirname(this.path);
    const base = basename(this.path);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    for (const name of names) {
      if (name === base || !name.startsWith(base) || /\.(gz|bz2|xz|zst)$/.test(name)) continue;
      let fd: number | undefined;
      try {
        fd = openSync(join(dir, name), 'r');
        const st = fstatSync(fd);
        if (st.isFile() && st.ino !== file.inode && st.size >= file.offset && fingerprintMatches(fd, file.offset, file.fingerprint)) {
          return { fd, inode: st.ino, offset: file.offset, skipping: file.skipping, fingerprint: file.fingerprint };
        }
        closeSync(fd);
      } catch {
        if (fd !== undefined) closeSync(fd);
      }
    }
    return undefined;
  }

  close(): void {
    if (this.current) closeSync(this.current.fd);
    this.current = undefined;
  }

  private open(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (err) {
      this.openError = (err as NodeJS.ErrnoException).code ?? 'EIO';
      return false; // absent or unreadable for now; it may appear or become readable later
    }
    this.openError = undefined;
    const st = fstatSync(fd);
    let offset = 0;
    if (this.remembered && this.remembered.inode === st.ino) offset = this.remembered.offset <= st.size ? this.remembered.offset : 0;
    else if (!this.remembered && this.startAtEnd) offset = st.size;
    let fingerprint = readFingerprint(fd, offset);
    const remembered = this.remembered?.fp;
    if (offset > 0 && remembered !== undefined && !fingerprint.equals(Buffer.from(remembered, 'base64'))) {
      offset = 0; // truncated and written again while we were not running
      fingerprint = Buffer.alloc(0);
    }
    this.current = { fd, inode: st.ino, offset, skipping: false, fingerprint };
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
    // The offset advances only on commit; the skip state at the end of this read applies if all of it is.
    file.lastRead = { to: position, skipping };
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
