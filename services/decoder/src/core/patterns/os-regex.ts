import { NONE, compileAlternatives, hasRuns, startMask, type Alternative } from './os-regex-cells.ts';
import { runAlternative } from './os-regex-engine.ts';

/**
 * Wazuh's OS_Regex (`type="osregex"`, the default for decoder `<regex>`/`<prematch>` and rule `<regex>`/`<field>`).
 *
 * It is not a backtracking regular expression: it is a single forward scan whose quantifiers are lazy with at most
 * four restart points, and whose "end" position follows rules of its own. No JavaScript RegExp has these semantics,
 * so the pattern is compiled once into an array of integer cells and run by a small interpreter that follows the C
 * engine step by step (see docs/decoding.md, "OS_Regex"). Alternatives made only of literals and single classes (no
 * `+`/`*`, no group) behave as a leftmost search, and they run as a prebuilt JavaScript RegExp instead.
 *
 * Offsets are UTF-16 code units of the JavaScript string; a code unit above 0x7F counts as one non-ASCII byte
 * (it matches `\W`, `\D`, `\S` and `\.`). For ASCII text this is exactly the C engine.
 */

export interface OsRegexOptions {
  /**
   * Record capture groups, as a decoder `<regex>` does. Rules and decoder `<prematch>` compile without captures;
   * this changes more than the captures: the engine skips the capture-only steps, so the end position may differ.
   */
  captures?: boolean;
  /** Never use the RegExp fast path (for tests that compare both, and for diagnosis). */
  interpretOnly?: boolean;
}

/** What a successful match returns. */
export interface OsRegexMatch {
  /**
   * The engine's end position (an index into the subject, not past the match; see `resumeAfter`). It is where
   * the C function's returned pointer points.
   */
  end: number;
  /** The captured substrings, in group order (only with `captures: true`). */
  captures: string[];
}

/** A compiled OS_Regex pattern. Compile once (`OsRegex.compile`), match many times; instances are immutable. */
export class OsRegex {
  readonly pattern: string;
  readonly captureMode: boolean;
  private readonly alternatives: Alternative[];
  private readonly cap: Int32Array;
  private readonly start: Uint8Array | undefined;

  private constructor(pattern: string, captures: boolean, interpretOnly: boolean) {
    const { alternatives, hasGroups } = compileAlternatives(pattern);
    if (interpretOnly) {
      for (const a of alternatives) {
        a.fast = undefined;
        a.required = undefined;
      }
    }
    this.pattern = pattern;
    this.alternatives = alternatives;
    this.captureMode = captures && hasGroups;
    this.start = interpretOnly ? undefined : startMask(alternatives);
    let longest = 0;
    for (const a of alternatives) longest = Math.max(longest, a.cells.length);
    this.cap = new Int32Array(longest);
  }

  /** Compiles a pattern; throws PatternError on a syntax error (bad escape, nested group, `|` in a group...). */
  static compile(pattern: string, options: OsRegexOptions = {}): OsRegex {
    return new OsRegex(pattern, options.captures ?? false, options.interpretOnly ?? false);
  }

  /**
   * Matches `subject` from index `from` (what the C engine receives as its string). Returns the end position and
   * captures, or null. The end position is an absolute index into `subject`.
   */
  exec(subject: string, from = 0): OsRegexMatch | null {
    if (from > subject.length) return null;
    if (this.start !== undefined && from < subject.length) {
      const c = subject.charCodeAt(from);
      if (this.start[c < 128 ? c : 128] === 0) return null;
    }
    for (const alt of this.alternatives) {
      if (alt.fast !== undefined) {
        alt.fast.lastIndex = from;
        const m = alt.fast.exec(subject);
        if (m !== null) return { end: m.index + m[0].length - 1, captures: [] };
        continue;
      }
      if (alt.required !== undefined && !hasRuns(alt.required, subject, from)) continue;
      const cap = this.cap;
      if (this.captureMode) cap.fill(NONE);
      const r = runAlternative(alt, subject, from, this.captureMode, cap);
      if (r === NONE) continue;
      const end = from + Math.max(0, r);
      if (!this.captureMode) return { end, captures: [] };
      const captures: string[] = [];
      const g = alt.groups;
      for (let i = 0; i + 1 < g.length; i += 2) {
        const open = cap[g[i] as number] as number;
        const close = cap[g[i + 1] as number] as number;
        if (open === NONE || close === NONE) break;
        if (close < open) return null;
        captures.push(subject.slice(from + open, from + close));
      }
      return { end, captures };
    }
    return null;
  }

  /** Whether the pattern matches (a rule's `<regex>`). */
  test(subject: string, from = 0): boolean {
    return this.exec(subject, from) !== null;
  }
}

/**
 * Where a decoder goes on after a match that ended at `end`: the next character, or `end` itself when it is the
 * end of the subject (as `pmatch = end + 1 unless *end == '\0'` in C).
 */
export function resumeAfter(subject: string, end: number): number {
  return end < subject.length ? end + 1 : end;
}
