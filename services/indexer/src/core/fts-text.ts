/**
 * The text FTS5 indexes for a log line: the line itself and, when it differs, a percent-decoded copy (`+` read as
 * a space, as in query strings), so `union` finds `id=1%20UNION%20SELECT`. A malformed escape (`%zz`, a lone `%`,
 * bytes that are not UTF-8) is left as it is rather than failing the alert.
 */
export function ftsText(text: string): string {
  const decoded = percentDecode(text);
  return decoded === text ? text : `${text}\n${decoded}`;
}

/** Decodes `%XX` escapes and `+` → space, leaving what cannot be decoded unchanged. */
export function percentDecode(text: string): string {
  if (!/[%+]/.test(text)) return text;
  const spaced = text.replace(/\+/g, ' ');
  // Runs of escapes are decoded together (multi-byte UTF-8); a run that is not valid UTF-8 stays as it is.
  return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run; // not UTF-8: keep the escapes as they were
    }
  });
}
