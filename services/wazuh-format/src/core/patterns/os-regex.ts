import { NONE, compileAlternatives, hasRuns, startMask, type Alternative } from './os-regex-cells.ts';
import { runAlternative } from './os-regex-engine.ts';
import { compileRunner, type AlternativeRunner } from './os-regex-codegen.ts';

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
  /**
   * Run every alternative in the generic interpreter, without any fast path (RegExp, prefilters, generated
   * runners): the reference the fast paths are tested against, and a means of diagnosis.
   */
  interpretOnly?: boolean;
  /**
   * Generate a specialised runner (os-regex-codegen.ts) for each alternative interpreted often enough (default
   * true). False keeps the RegExp fast path and the prefilters but interprets every alternative: the reference the
   * runners are tested against where the plain interpreter would be too slow.
   */
  specialise?: boolean;
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

/**
 * The interpretation an alternative may cost before its specialised runner is generated, in characters of
 * subject: generating and optimising a runner costs about as much as interpreting a few hundred thousand
 * characters, and most alternatives of a ruleset run rarely, or fail within a few characters.
 */
const RUNNER_AFTER = 200_000;
/** The characters an anchored alternative is charged per run: most fail within the first few. */
const ANCHORED_CHARGE = 16;

/** A compiled OS_Regex pattern. Compile once (`OsRegex.compile`), match many times; instances are immutable
 * (but for the runners they generate for themselves as they are used, which change no result). */
export class OsRegex {
  readonly pattern: string;
  readonly captureMode: boolean;
  private readonly alternatives: Alternative[];
  /**
   * Per alternative, its generated runner (os-regex-codegen.ts) once it has been interpreted often enough to be
   * worth generating; null when it never will be (interpretOnly, RegExp fast path, too long).
   */
  private readonly runners: Array<AlternativeRunner | null | undefined>;
  /** Per alternative, the interpretation left before its runner is generated (see RUNNER_AFTER). */
  private readonly untilRunner: Int32Array;
  private readonly cap: Int32Array;
  private readonly start: Uint8Array | undefined;

  private constructor(pattern: string, captures: boolean, interpretOnly: boolean, specialise: boolean) {
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
    this.runners = alternatives.map((a) => (interpretOnly || !specialise || a.fast !== undefined ? null : undefined));
    this.untilRunner = new Int32Array(alternatives.length).fill(RUNNER_AFTER);
    let longest = 0;
    for (const a of alternatives) longest = Math.max(longest, a.cells.length);
    this.cap = new Int32Array(longest);
  }

  /** Compiles a pattern; throws PatternError on a syntax error (bad escape, nested group, `|` in a group...). */
  static compile(pattern: string, options: OsRegexOptions = {}): OsRegex {
    return new OsRegex(pattern, options.captures ?? false, options.interpretOnly ?? false, options.specialise ?? true);
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
    const alternatives = this.alternatives;
    for (let i = 0; i < alternatives.length; i++) {
      const alt = alternatives[i] as Alternative;
      if (alt.fast !== undefined) {
        alt.fast.lastIndex = from;
        const m = alt.fast.exec(subject);
        // The RegExp cannot match across a NUL, but it can find a match after one, where C's string has ended.
        if (m !== null && (m.index === from || subject.lastIndexOf('\0', m.index - 1) < from)) {
          return { end: m.index + m[0].length - 1, captures: [] };
        }
        continue;
      }
      if (alt.required !== undefined && !hasRuns(alt.required, subject, from)) continue;
      const cap = this.cap;
      // Only the group cells are ever written or read.
      if (this.captureMode) for (const g of alt.groups) cap[g] = NONE;
      const run = this.runners[i];
      let r: number;
      if (typeof run === 'function') r = run(subject, from, cap);
      else {
        r = runAlternative(alt, subject, from, this.captureMode, cap);
        if (run === undefined) {
          const left = (this.untilRunner[i] as number) - (alt.anchoredStart ? ANCHORED_CHARGE : subject.length - from);
          this.untilRunner[i] = left;
          if (left <= 0) this.runners[i] = compileRunner(alt, this.captureMode) ?? null;
        }
      }
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

  /**
   * Per alternative, its runs of literal cells (lowercase, longest first): every match of the alternative holds each
   * of them, ASCII case-insensitively. Undefined when some alternative has no literal cell.
   */
  necessaryLiterals(): string[][] | undefined {
    const out: string[][] = [];
    for (const alt of this.alternatives) {
      if (alt.runs.length === 0) return undefined;
      out.push(alt.runs.slice());
    }
    return out;
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
