import { OsMatch } from './os-match.ts';
import { OsRegex } from './os-regex.ts';
import { Pcre2 } from './pcre2.ts';
import { PatternError } from './pattern-error.ts';

export type PatternDialect = 'osmatch' | 'osregex' | 'pcre2';

/** A match with an end position and captures (OS_Regex or PCRE2). */
export interface PatternMatch {
  /** Index of the engine's end position in the subject (see OsRegexMatch.end / Pcre2Match.end). */
  end: number;
  captures: string[];
}

/** Any compiled pattern: answers whether a subject matches. */
export interface TextMatcher {
  readonly dialect: PatternDialect;
  readonly pattern: string;
  test(subject: string): boolean;
}

/** A compiled OS_Regex or PCRE2 pattern: also returns the end position and captures. */
export interface CapturingMatcher extends TextMatcher {
  readonly dialect: 'osregex' | 'pcre2';
  exec(subject: string, from?: number): PatternMatch | null;
  /**
   * Per top-level alternative, literals that every match of that alternative holds (each of them, ASCII
   * case-insensitively at least), longest first; undefined when some alternative has none known. A subject that
   * lacks a literal of every alternative cannot match, from any start.
   */
  necessaryLiterals(): string[][] | undefined;
}

/**
 * Parses a `type` attribute as Wazuh does: `osmatch`, `osregex`, `pcre2` in any case; anything else (or absent)
 * gives `undefined`, and the caller uses the element's default (and warns when a value was given).
 */
export function parseDialect(type: string | undefined): PatternDialect | undefined {
  const t = type?.toLowerCase();
  return t === 'osmatch' || t === 'osregex' || t === 'pcre2' ? t : undefined;
}

class OsRegexMatcher implements CapturingMatcher {
  readonly dialect = 'osregex' as const;
  readonly pattern: string;
  private readonly re: OsRegex;
  constructor(pattern: string, captures: boolean) {
    this.pattern = pattern;
    this.re = OsRegex.compile(pattern, { captures });
  }
  test(subject: string): boolean {
    return this.re.exec(subject) !== null;
  }
  exec(subject: string, from = 0): PatternMatch | null {
    return this.re.exec(subject, from);
  }
  necessaryLiterals(): string[][] | undefined {
    return this.re.necessaryLiterals();
  }
}

class Pcre2Matcher implements CapturingMatcher {
  readonly dialect = 'pcre2' as const;
  readonly pattern: string;
  private readonly re: Pcre2;
  constructor(pattern: string) {
    this.pattern = pattern;
    this.re = Pcre2.compile(pattern);
  }
  test(subject: string): boolean {
    return this.re.test(subject);
  }
  exec(subject: string, from = 0): PatternMatch | null {
    return this.re.exec(subject, from);
  }
  necessaryLiterals(): string[][] | undefined {
    return this.re.necessaryLiterals();
  }
}

class OsMatchMatcher implements TextMatcher {
  readonly dialect = 'osmatch' as const;
  readonly pattern: string;
  private readonly re: OsMatch;
  constructor(pattern: string) {
    this.pattern = pattern;
    this.re = OsMatch.compile(pattern);
  }
  test(subject: string): boolean {
    return this.re.test(subject);
  }
}

/**
 * Compiles a pattern of any dialect for matching only (rule `<match>`, `<regex>`, `<field>`, decoder
 * `<program_name>`): OS_Regex compiles without captures, as rules compile it. Throws PatternError.
 */
export function compileMatcher(dialect: PatternDialect, pattern: string): TextMatcher {
  switch (dialect) {
    case 'osmatch': return new OsMatchMatcher(pattern);
    case 'osregex': return new OsRegexMatcher(pattern, false);
    case 'pcre2': return new Pcre2Matcher(pattern);
  }
}

/**
 * Compiles an OS_Regex or PCRE2 pattern that reports where it ended and what it captured: decoder `<regex>`
 * (`captures: true`) and `<prematch>` (`captures: false`). Throws PatternError.
 */
export function compileCapturing(dialect: 'osregex' | 'pcre2', pattern: string, options: { captures: boolean }): CapturingMatcher {
  if (dialect === 'pcre2') return new Pcre2Matcher(pattern);
  return new OsRegexMatcher(pattern, options.captures);
}

export { PatternError };
