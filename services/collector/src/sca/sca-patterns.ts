import { OsMatch, OsRegex, PatternError } from '@vigil/wazuh-format';
import type { RegexType } from './policy-types.ts';

/**
 * The patterns of SCA rules, on the decoder's compiled dialects and as Wazuh's agent (wm_sca.c) uses them:
 *
 * - `r:` and `n:` minterms of a content pattern: OS_Regex compiled with OS_RETURN_SUBSTRING, that is with
 *   captures (`n:` compares the first one), or a JavaScript RegExp when the check or policy says `regex_type: pcre2`;
 * - the file-name part of a `d:` rule: `r:<regex>` through OS_Regex() (compiled without captures, as rules compile
 *   it), and the whole filter, `r:` included, through OS_Match2 (OS_Match, where a leading `!` negates).
 *
 * Capture mode changes more than the captures (see OsRegexOptions.captures), which is why the two uses differ.
 * A pattern that does not compile does not throw here: it never matches, as in Wazuh, and parse-policy reports it
 * as a warning (`osRegexProblem`). Compiled patterns are kept, so each is compiled once.
 */

/** A compiled `r:` / `n:` regex, or why it does not compile. */
export type ContentRegex = { ok: true; exec(subject: string): { captures: string[] } | null } | { ok: false; message: string };

const MAX_CACHED = 10_000;
const contentRegexes = new Map<string, ContentRegex>();
const nameRegexes = new Map<string, OsRegex | undefined>();
const nameMatches = new Map<string, OsMatch>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const value = make();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/** The PatternError message of an OS_Regex that does not compile; other errors are not ours to swallow. */
function compileProblem(err: unknown): string {
  if (err instanceof PatternError) return err.message;
  throw err;
}

/** Compiles the regex of an `r:` or `n:` minterm (pcre2: the RegExp; a RegExp syntax error counts as not compiling). */
export function compileContentRegex(source: string, type: RegexType): ContentRegex {
  return cached(contentRegexes, `${type}\u0000${source}`, (): ContentRegex => {
    if (type === 'pcre2') {
      let re: RegExp;
      try {
        re = new RegExp(source);
      } catch (err) {
        if (err instanceof SyntaxError) return { ok: false, message: err.message };
        throw err;
      }
      return {
        ok: true,
        exec: (subject) => {
          const m = re.exec(subject);
          return m ? { captures: m.slice(1).map((g) => g ?? '') } : null;
        },
      };
    }
    try {
      const re = OsRegex.compile(source, { captures: true });
      return { ok: true, exec: (subject) => re.exec(subject) };
    } catch (err) {
      return { ok: false, message: compileProblem(err) };
    }
  });
}

/** Why an OS_Regex pattern does not compile (the PatternError message), or undefined when it does. */
export function osRegexProblem(source: string): string | undefined {
  try {
    OsRegex.compile(source);
    return undefined;
  } catch (err) {
    return compileProblem(err);
  }
}

/** Whether a directory entry's name passes the file-name part of a `d:` rule (`r:<OS_Regex>`, else OS_Match). */
export function fileNameMatches(filter: string, name: string): boolean {
  if (filter.slice(0, 2).toLowerCase() === 'r:') {
    const re = cached(nameRegexes, filter, () => {
      try {
        return OsRegex.compile(filter.slice(2));
      } catch (err) {
        compileProblem(err);
        return undefined; // never matches, as OS_Regex() when the pattern does not compile
      }
    });
    if (re?.test(name)) return true;
  }
  return cached(nameMatches, filter, () => OsMatch.compile(filter)).test(name);
}
