import v8 from 'node:v8';
import { PatternError } from './pattern-error.ts';
import { NotLinear, translatePcre2 } from './pcre2-translate.ts';
import { buildPrefilter, necessaryLiterals, type Prefilter } from './pcre2-prefilter.ts';

export { startAtRunStarts, translatePcre2 } from './pcre2-translate.ts';

/**
 * PCRE2 patterns (`type="pcre2"`), translated once into a JavaScript RegExp with the same meaning.
 *
 * Wazuh compiles them with no options: case-sensitive, `.` matches anything but `\n`, `^`/`$` at the subject's
 * ends (`$` also before a final newline), ASCII `\d \w \s`. Leading `(*UTF)` verbs and option settings
 * `(?i)`, `(?m)`, `(?s)`, `(?U)` (at the start, in the middle, or as `(?i:...)`) are honoured by rewriting the
 * pattern (pcre2-translate.ts), so that no JavaScript flag changes a meaning. PCRE2 features JavaScript cannot
 * express — possessive quantifiers, atomic groups, recursion, conditionals, `\G`, `\K`, branch reset,
 * Unicode properties, `(?x)` — are refused with a PatternError, never dropped.
 *
 * Guards against catastrophic backtracking: an unbounded quantifier over a group that holds another one
 * (`(a+)+`) is refused; a leading class run only starts matches where the run starts (`startAtRunStarts`); long
 * subjects run on V8's linear-time engine (`LINEAR_ENGINE_ABOVE`); the decoder cuts messages to MAX_LOG_LENGTH.
 */

export interface Pcre2Match {
  /** Index of the last character of the match (`offset_end - 1`, as Wazuh reports it), absolute in the subject. */
  end: number;
  /** Groups 1..n: an unset group between set ones is `''`, unset trailing groups are omitted. */
  captures: string[];
}

/**
 * Whether V8's linear-time RegExp engine (flag `l`) is available. It is behind a V8 flag, which only enables the
 * flag `l`: no other RegExp changes engine.
 */
let linearEngine: boolean | undefined;
function linearEngineAvailable(): boolean {
  if (linearEngine === undefined) {
    try {
      v8.setFlagsFromString('--enable-experimental-regexp-engine');
      linearEngine = new RegExp('a', 'l').flags.includes('l');
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/**
 * Subjects longer than this (UTF-16 code units) are matched by the linear-time engine when the pattern allows it.
 * A backtracking engine can take time quadratic in the subject with one unbounded quantifier (2.5 s for one Wazuh
 * decoder on a crafted 64 KiB line, 0.16 s in linear time) and cubic or worse with several; the linear engine is
 * slower on ordinary input, so it takes over only where the risk is: above 8 KiB for a pattern with at most one
 * unbounded quantifier, above 512 characters for a pattern with more.
 */
export const LINEAR_ENGINE_ABOVE = { oneQuantifier: 8192, severalQuantifiers: 512 } as const;

/** A compiled PCRE2 pattern (a JavaScript RegExp underneath). Compile once, match many times. */
export class Pcre2 {
  readonly pattern: string;
  /** The JavaScript RegExp it was translated into. */
  readonly regex: RegExp;
  /** The same pattern for V8's linear-time engine, when it can run it (no lookaround, no back reference). */
  readonly linear: RegExp | undefined;
  readonly groupCount: number;
  private readonly linearAbove: number;
  /** A necessary condition checked before the (slow) linear-time engine runs; see pcre2-prefilter.ts. */
  private readonly prefilter: Prefilter | undefined;

  private constructor(pattern: string, linearAbove: number | undefined) {
    const t = translatePcre2(pattern);
    this.pattern = pattern;
    this.groupCount = t.groupCount;
    this.linearAbove = linearAbove ?? (t.unbounded > 1 ? LINEAR_ENGINE_ABOVE.severalQuantifiers : LINEAR_ENGINE_ABOVE.oneQuantifier);
    try {
      this.regex = new RegExp(t.source);
    } catch (cause) {
      throw new PatternError('pcre2', pattern, `not a valid pattern: ${(cause as Error).message}`, { cause });
    }
    let linear: RegExp | undefined;
    let prefilter: Prefilter | undefined;
    if (linearEngineAvailable()) {
      try {
        const source = translatePcre2(pattern, { linear: true }).source;
        linear = new RegExp(source, 'l');
        prefilter = buildPrefilter(source);
      } catch (err) {
        if (!(err instanceof NotLinear) && !(err instanceof SyntaxError)) throw err;
      }
    }
    this.linear = linear;
    this.prefilter = linear === undefined ? undefined : prefilter;
  }

  /**
   * Compiles a pattern; throws PatternError. `linearAbove` (default: see LINEAR_ENGINE_ABOVE) is the subject length
   * above which the linear-time engine is used; tests pass 0 to compare both engines.
   */
  static compile(pattern: string, options: { linearAbove?: number } = {}): Pcre2 {
    return new Pcre2(pattern, options.linearAbove);
  }

  /** Matches `subject` from index `from` (the text the engine sees starts there, as in C). */
  exec(subject: string, from = 0): Pcre2Match | null {
    const text = from === 0 ? subject : subject.slice(from);
    // JavaScript's `$` differs from PCRE2's only before a final newline: such a subject keeps the other engine.
    const useLinear = this.linear !== undefined && text.length > this.linearAbove && text.charCodeAt(text.length - 1) !== 10;
    if (useLinear && this.prefilter !== undefined && !this.prefilter.mayMatch(text, 0)) return null;
    const m = (useLinear ? (this.linear as RegExp) : this.regex).exec(text);
    if (m === null) return null;
    let last = m.length - 1;
    while (last > 0 && m[last] === undefined) last--;
    const captures: string[] = new Array(last);
    for (let g = 1; g <= last; g++) captures[g - 1] = m[g] ?? '';
    return { end: from + m.index + m[0].length - 1, captures };
  }

  /**
   * Per top-level alternative, literals every match of it holds (case-sensitively, hence also ASCII
   * case-insensitively); undefined when that cannot be shown (lookarounds, back references, an alternative without
   * a literal). Read from the linear translation, which the prefilter parser understands; the translation does not
   * depend on whether V8's linear engine is available.
   */
  necessaryLiterals(): string[][] | undefined {
    try {
      return necessaryLiterals(translatePcre2(this.pattern, { linear: true }).source);
    } catch (err) {
      if (err instanceof NotLinear) return undefined;
      throw err;
    }
  }

  test(subject: string, from = 0): boolean {
    if (from === 0 && subject.length <= this.linearAbove) return this.regex.test(subject);
    return this.exec(subject, from) !== null;
  }
}
