import picomatch from 'picomatch';

/**
 * Log file globs, matched by picomatch: `*` and `?` (never across a `/`, and matching names that start with a dot),
 * `[abc]`, `[a-z]`, `[!abc]`/`[^abc]`, `[[:digit:]]`, brace sets `{a,b}` and ranges `{1..3}`, `**` for any number
 * of directories, and `\` to take the next character literally. Our rule on top: a path segment without glob
 * characters is literal, as Wazuh's localfile takes a path without `*`, `?` or `[` literally; parentheses, `|`,
 * `!`, `+` and `@` are always literal (no extglobs), so file names such as `app(1).log` need no escaping.
 */
export const GLOB_OPTIONS = { dot: true, posix: true, noextglob: true } as const;

/** A brace set or range: `{a,b}`, `{1..3}` (a `{x}` without a comma or `..` is literal, as in the shell). */
const BRACE_SET = /\{[^{}]*(,|\.\.)[^{}]*\}/;

/** Whether one segment of a path is a glob: it holds `*`, `?`, `[` or a brace set. */
export function isGlobSegment(segment: string): boolean {
  return /[*?[]/.test(segment) || BRACE_SET.test(segment);
}

/** Whether a path contains glob characters (`*`, `?`, `[`, or a brace set such as `{a,b}`). */
export function hasGlob(path: string): boolean {
  return splitGlobSegments(path).some(isGlobSegment);
}

/** Splits a path on the `/` that are not inside a brace set (`/var/log/{a/x,b}/*.log` has three segments). */
export function splitGlobSegments(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === '/' && depth === 0) {
      segments.push(path.slice(from, i));
      from = i + 1;
    }
  }
  segments.push(path.slice(from));
  return segments;
}

/** Characters picomatch gives a meaning to that a literal segment must escape. */
const SPECIAL = /[\\*?[\]{}()|!+@]/g;
/** Characters of picomatch's extglobs and regex groups, literal in our globs. */
const EXTGLOB = /[()|!+@]/;

/** One segment as a picomatch pattern: a literal segment escaped whole, a glob segment with its extglob characters escaped. */
export function globSegmentPattern(segment: string): string {
  if (!isGlobSegment(segment)) return segment.replace(SPECIAL, '\\$&');
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '\\' && i + 1 < segment.length) {
      out += c + (segment[++i] as string);
    } else if (EXTGLOB.test(c) && !(c === '!' && segment[i - 1] === '[')) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** A whole path glob as a picomatch/tinyglobby pattern (segments as in {@link globSegmentPattern}). */
export function globPattern(path: string): string {
  return splitGlobSegments(path).map(globSegmentPattern).join('/');
}

/** One path segment's glob as an anchored regex (picomatch's); `*` never crosses a `/`. */
export function globSegmentRegExp(segment: string): RegExp {
  return picomatch.makeRe(globSegmentPattern(segment), GLOB_OPTIONS);
}
