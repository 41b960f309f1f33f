/**
 * The three pattern dialects of Wazuh rulesets, compiled once and matched many times:
 * - `OsMatch` (OS_Match / "sregex"): literal alternatives with `^`/`$` anchors and `!` negation;
 * - `OsRegex` (OS_Regex): Wazuh's own regex dialect with its exact end positions and captures,
 *   `{ captures: true }` as decoders compile `<regex>`, `{ captures: false }` as rules and `<prematch>` do;
 * - `Pcre2` (`type="pcre2"`): translated into a JavaScript RegExp, unsupported features refused.
 * `compileMatcher` / `compileCapturing` pick the dialect from a `type` attribute (see `parseDialect`).
 */
export { OsMatch, WordMatch } from './os-match.ts';
export { OsRegex, resumeAfter, type OsRegexMatch, type OsRegexOptions } from './os-regex.ts';
export { Pcre2, translatePcre2, type Pcre2Match } from './pcre2.ts';
export { PatternError } from './pattern-error.ts';
export {
  compileCapturing,
  compileMatcher,
  parseDialect,
  type CapturingMatcher,
  type PatternDialect,
  type PatternMatch,
  type TextMatcher,
} from './compile-pattern.ts';
