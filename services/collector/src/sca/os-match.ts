/**
 * OSSEC/Wazuh OS_Match ("sregex"): `|`-separated alternatives compared case-insensitively (ASCII only), each one
 * a substring, a `^prefix`, a `suffix$` or an exact `^whole$`; a leading `!` negates the whole pattern. SCA uses it
 * for the file-name part of a `d:` rule that is not an `r:` regex. See docs/wazuh-ruleset-semantics.md §4.1.
 */

function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function alternativeMatches(alt: string, subject: string): boolean {
  if (alt === '') return true;
  const starts = alt.startsWith('^');
  const ends = alt.length > (starts ? 1 : 0) && alt.endsWith('$');
  const body = alt.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return subject === body;
  if (starts) return subject.startsWith(body);
  if (ends) return subject.endsWith(body);
  return subject.includes(body);
}

export function testOsMatch(pattern: string, subject: string): boolean {
  const negated = pattern.startsWith('!');
  const body = lowerAscii(negated ? pattern.slice(1) : pattern);
  const s = lowerAscii(subject);
  const matched = body.split('|').some((alt) => alternativeMatches(alt, s));
  return negated ? !matched : matched;
}
