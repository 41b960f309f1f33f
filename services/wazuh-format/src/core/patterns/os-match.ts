/**
 * Wazuh's OS_Match ("sregex", `type="osmatch"`): the default for rule `<match>`, decoder `<program_name>` and most
 * rule field elements. A leading `!` negates the whole pattern; the rest is split on every `|` (which cannot be
 * escaped); each alternative is `^X$` (equals), `^X` (starts with), `X$` (ends with) or `X` (contains), compared
 * case-insensitively for ASCII letters only; an empty alternative always matches. No other character is special.
 */
export class OsMatch {
  readonly pattern: string;
  private readonly negate: boolean;
  private readonly regex: RegExp;
  private readonly always: boolean;

  private constructor(pattern: string) {
    this.pattern = pattern;
    let body = pattern;
    this.negate = body.startsWith('!');
    if (this.negate) body = body.slice(1);
    const sources: string[] = [];
    let always = false;
    for (const alt of body.split('|')) {
      const starts = alt.startsWith('^');
      const ends = alt.endsWith('$') && alt.length > (starts ? 1 : 0);
      const core = alt.slice(starts ? 1 : 0, ends ? -1 : undefined);
      if (core === '' && !(starts && ends)) {
        always = true; // '', '^', '$': always true
        continue;
      }
      sources.push(`${starts ? '^' : ''}${literalSource(core)}${ends ? '$' : ''}`);
    }
    this.always = always;
    this.regex = new RegExp(sources.length > 0 ? sources.join('|') : '(?!)');
  }

  /** Compiles a pattern. OS_Match has no syntax errors: every string is a valid pattern. */
  static compile(pattern: string): OsMatch {
    return new OsMatch(pattern);
  }

  /** Whether the subject matches (after negation). */
  test(subject: string): boolean {
    const hit = this.always || this.regex.test(subject);
    return this.negate ? !hit : hit;
  }
}

/** A RegExp source matching `text` literally, ASCII letters in either case, other characters exactly. */
function literalSource(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else if (/[\\^$.*+?()[\]{}|/-]/.test(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * The close variant used to resolve `if_group` ("WordMatch"): case-insensitive substring, `^` prefix and `|`
 * alternatives, but no `$` and no `!`; an empty pattern never matches.
 */
export class WordMatch {
  readonly pattern: string;
  private readonly regex: RegExp | undefined;
  private constructor(pattern: string) {
    this.pattern = pattern;
    if (pattern === '') return;
    const sources = pattern.split('|').map((alt) => (alt.startsWith('^') ? `^${literalSource(alt.slice(1))}` : literalSource(alt)));
    this.regex = new RegExp(sources.join('|'));
  }
  static compile(pattern: string): WordMatch {
    return new WordMatch(pattern);
  }
  test(subject: string): boolean {
    return this.regex !== undefined && this.regex.test(subject);
  }
}
