/**
 * Wazuh's OS_Match ("sregex"): alternatives split on every `|`, compared case-insensitively (ASCII only), each
 * either `^X$` (equals), `^X` (starts with), `X$` (ends with) or `X` (contains); an empty alternative always
 * matches; a leading `!` negates the whole pattern. No other metacharacters.
 */
export type Matcher = (subject: string) => boolean;

function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

export function compileOsMatch(pattern: string): Matcher {
  let negate = false;
  let body = pattern;
  if (body.startsWith('!')) {
    negate = true;
    body = body.slice(1);
  }
  const tests: Matcher[] = body.split('|').map((raw) => {
    const alt = lowerAscii(raw);
    if (alt === '') return () => true;
    const starts = alt.startsWith('^');
    const ends = alt.endsWith('$') && alt.length > (starts ? 1 : 0);
    const core = alt.slice(starts ? 1 : 0, ends ? -1 : undefined);
    if (starts && ends) return (s) => s === core;
    if (starts) return (s) => s.startsWith(core);
    if (ends) return (s) => s.endsWith(core);
    return (s) => s.includes(core);
  });
  return (subject) => {
    const s = lowerAscii(subject);
    const hit = tests.some((t) => t(s));
    return negate ? !hit : hit;
  };
}
