/** One complete line cut from a byte stream, with the offset just past its terminator. */
export interface SplitLine {
  text: string;
  /** Byte offset in the file just after this line's newline: where reading resumes once it is published. */
  endOffset: number;
  /** The line was longer than the maximum and was cut (the rest of it is dropped, the line is kept). */
  truncated: boolean;
}

export interface SplitResult {
  lines: SplitLine[];
  /** Offset of the first byte not consumed (the start of an incomplete trailing line). */
  consumedTo: number;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Splits `chunk` (read from `startOffset`) into newline-terminated lines. An incomplete last line is left for the
 * next read unless it already exceeds `maxLineBytes`, in which case it is cut and flagged. `\r\n` endings lose
 * their `\r`; empty lines are skipped (but consumed).
 */
export function splitLines(chunk: Uint8Array, startOffset: number, maxLineBytes: number, skipUntilNewline = false): SplitResult & { skipping: boolean } {
  const lines: SplitLine[] = [];
  let start = 0;
  let skipping = skipUntilNewline;
  while (start < chunk.length) {
    const nl = chunk.indexOf(0x0a, start);
    if (nl === -1) {
      const pending = chunk.length - start;
      if (!skipping && pending > maxLineBytes) {
        lines.push({ text: decodeLine(chunk.subarray(start, start + maxLineBytes)), endOffset: startOffset + chunk.length, truncated: true });
        return { lines, consumedTo: startOffset + chunk.length, skipping: true };
      }
      if (skipping) return { lines, consumedTo: startOffset + chunk.length, skipping: true };
      break;
    }
    if (skipping) {
      // The tail of a line already emitted cut: drop it up to its newline.
      skipping = false;
      start = nl + 1;
      continue;
    }
    let end = nl;
    if (end > start && chunk[end - 1] === 0x0d) end--;
    if (end > start) {
      const tooLong = end - start > maxLineBytes;
      lines.push({
        text: decodeLine(chunk.subarray(start, tooLong ? start + maxLineBytes : end)),
        endOffset: startOffset + nl + 1,
        truncated: tooLong,
      });
    }
    start = nl + 1;
  }
  return { lines, consumedTo: startOffset + start, skipping };
}

function decodeLine(bytes: Uint8Array): string {
  // Invalid UTF-8 becomes U+FFFD rather than failing: the line is kept, as the rest of the pipeline expects text.
  return utf8.decode(bytes);
}
