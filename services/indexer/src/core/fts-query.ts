/**
 * Turns free text typed by a person into an FTS5 query that cannot be a syntax error: every word becomes a quoted
 * string (an embedded `"` is doubled), and all words must occur. A trailing `*` on a word keeps its prefix meaning.
 * Returns undefined when the text has no word at all.
 */
export function toFtsQuery(text: string): string | undefined {
  const words = text.split(/\s+/).filter((w) => w !== '' && w !== '*');
  if (words.length === 0) return undefined;
  return words
    .map((w) => {
      const prefix = w.endsWith('*');
      const body = prefix ? w.slice(0, -1) : w;
      return `"${body.replace(/"/g, '""')}"${prefix ? ' *' : ''}`;
    })
    .join(' ');
}
