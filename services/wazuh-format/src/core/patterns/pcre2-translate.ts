import { PatternError } from './pattern-error.ts';

/**
 * Translation of PCRE2 patterns into JavaScript RegExp source with the same meaning (see pcre2.ts for what
 * Wazuh's PCRE2 options are and what is refused).
 */

interface Flags {
  caseless: boolean;
  multiline: boolean;
  dotall: boolean;
  ungreedy: boolean;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: 'A-Za-z0-9_', xdigit: '0-9A-Fa-f',
};

const SPACE = '\\t\\n\\v\\f\\r ';

function codePointSource(cp: number): string {
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  const s = String.fromCodePoint(cp);
  return `(?:\\u${s.charCodeAt(0).toString(16)}\\u${s.charCodeAt(1).toString(16)})`;
}

export interface Translation {
  source: string;
  caseless: boolean;
  groupCount: number;
  /** How many unbounded quantifiers (`*`, `+`, `{n,}`) the pattern has. */
  unbounded: number;
}

/** Raised inside a linear translation for a construct the linear-time engine does not run (lookarounds...). */
export class NotLinear extends Error {}

/**
 * Translates a PCRE2 pattern into JavaScript RegExp source; throws PatternError for what cannot be expressed.
 * With `linear`, the source is meant for V8's linear-time engine (flag `l`): no lookaround is used (`^`/`$`
 * without multiline become JavaScript's own, which differ from PCRE2 only for `$` before a final newline), and a
 * construct it cannot run throws an internal NotLinear error.
 */
export function translatePcre2(pattern: string, options: { linear?: boolean } = {}): Translation {
  const linear = options.linear === true;
  const notLinear = (): never => {
    throw new NotLinear();
  };
  const fail = (what: string): never => {
    throw new PatternError('pcre2', pattern, what);
  };
  let i = 0;
  // Leading verbs.
  for (;;) {
    const verb = /^\(\*(UTF8?|UTF|UCP|NO_START_OPT|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|NO_JIT|CRLF|LF|ANYCRLF|ANY)\)/.exec(pattern.slice(i));
    if (!verb) break;
    if (['CRLF', 'ANYCRLF', 'ANY', 'UCP'].includes(verb[1] as string)) fail(`the verb (*${verb[1]}) is not supported`);
    i += verb[0].length;
  }
  const flags: Flags = { caseless: false, multiline: false, dotall: false, ungreedy: false };
  // Leading option settings: (?imsU) applies to the whole pattern.
  for (;;) {
    const opt = /^\(\?([imsUx]*)(?:-([imsUx]*))?\)/.exec(pattern.slice(i));
    if (!opt) break;
    const set = (letters: string, on: boolean) => {
      for (const l of letters) {
        if (l === 'i') flags.caseless = on;
        else if (l === 'm') flags.multiline = on;
        else if (l === 's') flags.dotall = on;
        else if (l === 'U') flags.ungreedy = on;
        else fail('extended mode (?x) is not supported');
      }
    };
    set(opt[1] ?? '', true);
    set(opt[2] ?? '', false);
    i += opt[0].length;
  }

  let out = '';
  let groupCount = 0;
  let unboundedCount = 0;
  const names = new Map<string, number>();
  /** Per open group: whether it (or anything inside it) holds an unbounded quantifier. */
  const groupStack: Array<{ unbounded: boolean; start: number; restore: Flags }> = [];
  const setFlags = (letters: string, on: boolean) => {
    for (const l of letters) {
      if (l === 'i') flags.caseless = on;
      else if (l === 'm') flags.multiline = on;
      else if (l === 's') flags.dotall = on;
      else if (l === 'U') flags.ungreedy = on;
    }
  };
  let lastAtom: { unboundedInside: boolean } | undefined;
  const markUnbounded = () => {
    const top = groupStack[groupStack.length - 1];
    if (top) top.unbounded = true;
  };

  const readEscape = (inClass: boolean): string => {
    // pattern[i] === '\\'
    const c = pattern[i + 1];
    if (c === undefined) return fail('ends with a lone backslash');
    i += 2;
    switch (c) {
      case 'd': return inClass ? '0-9' : '[0-9]';
      case 'D': return inClass ? fail('\\D inside a character class is not supported') : '[^0-9]';
      case 'w': return inClass ? 'A-Za-z0-9_' : '[A-Za-z0-9_]';
      case 'W': return inClass ? fail('\\W inside a character class is not supported') : '[^A-Za-z0-9_]';
      case 's': return inClass ? SPACE : `[${SPACE}]`;
      case 'S': return inClass ? fail('\\S inside a character class is not supported') : `[^${SPACE}]`;
      case 'h': return inClass ? ' \\t\\u00a0' : '[ \\t\\u00a0]';
      case 'H': return inClass ? fail('\\H inside a character class is not supported') : '[^ \\t\\u00a0]';
      case 'v': return inClass ? '\\n\\v\\f\\r\\u0085\\u2028\\u2029' : '[\\n\\v\\f\\r\\u0085\\u2028\\u2029]';
      case 'V': return inClass ? fail('\\V inside a character class is not supported') : '[^\\n\\v\\f\\r\\u0085\\u2028\\u2029]';
      case 'R': return inClass ? fail('\\R inside a character class is not allowed') : '(?:\\r\\n|[\\n\\v\\f\\r\\u0085\\u2028\\u2029])';
      case 'N': {
        const named = /^\{U\+([0-9A-Fa-f]+)\}/.exec(pattern.slice(i));
        if (named) {
          i += named[0].length;
          return codePointSource(parseInt(named[1] as string, 16));
        }
        return inClass ? fail('\\N inside a character class is not allowed') : '[^\\n]';
      }
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]+)\}/.exec(pattern.slice(i));
        if (braced) {
          i += braced[0].length;
          return codePointSource(parseInt(braced[1] as string, 16));
        }
        const two = /^[0-9A-Fa-f]{1,2}/.exec(pattern.slice(i));
        if (two) {
          i += two[0].length;
          return codePointSource(parseInt(two[0], 16));
        }
        return '\\x00';
      }
      case 'o': {
        const braced = /^\{([0-7]+)\}/.exec(pattern.slice(i));
        if (!braced) return fail('\\o must be followed by {octal digits}');
        i += braced[0].length;
        return codePointSource(parseInt(braced[1] as string, 8));
      }
      case 'n': return '\\n';
      case 'r': return '\\r';
      case 't': return '\\t';
      case 'f': return '\\f';
      case 'a': return '\\x07';
      case 'e': return '\\x1b';
      case 'c': {
        const ctl = pattern[i];
        if (ctl === undefined) return fail('\\c at the end of the pattern');
        i++;
        return codePointSource(ctl.toUpperCase().charCodeAt(0) ^ 0x40);
      }
      case 'b': return inClass ? '\\x08' : '\\b';
      case 'B': return inClass ? fail('\\B inside a character class is not allowed') : '\\B';
      case 'A': return inClass ? fail('\\A inside a character class is not allowed') : linear ? '^' : '(?<![\\s\\S])';
      case 'z': return inClass ? fail('\\z inside a character class is not allowed') : linear ? '$' : '(?![\\s\\S])';
      case 'Z': return inClass ? fail('\\Z inside a character class is not allowed') : linear ? notLinear() : '(?=\\n?(?![\\s\\S]))';
      case 'Q': {
        const end = pattern.indexOf('\\E', i);
        const literal = end === -1 ? pattern.slice(i) : pattern.slice(i, end);
        i = end === -1 ? pattern.length : end + 2;
        return Array.from(literal, (ch) => literalChar(ch, inClass)).join('');
      }
      case 'E': return '';
      case 'g': case 'k': {
        if (inClass) return fail(`\\${c} inside a character class is not allowed`);
        const ref = /^(?:\{(-?\w+)\}|<(\w+)>|'(\w+)'|(-?\d+))/.exec(pattern.slice(i));
        if (!ref) return fail(`unsupported \\${c} reference`);
        i += ref[0].length;
        const name = ref[1] ?? ref[2] ?? ref[3] ?? ref[4] ?? '';
        if (linear) return notLinear();
        if (/^\d+$/.test(name)) return `\\${name}(?:)`;
        if (/^-\d+$/.test(name)) return `\\${groupCount + 1 + Number(name)}(?:)`;
        return `\\k<${name}>`;
      }
      case 'p': case 'P': case 'X': case 'C': case 'G': case 'K':
        return fail(`\\${c} is not supported (no JavaScript equivalent without changing the meaning)`);
      default:
        if (c >= '1' && c <= '9') {
          if (inClass) return fail('an octal or back reference inside a character class is not supported');
          if (linear) return notLinear();
          const digits = /^\d*/.exec(pattern.slice(i))?.[0] ?? '';
          i += digits.length;
          return `\\${c}${digits}(?:)`;
        }
        if (c === '0') {
          const oct = /^[0-7]{0,2}/.exec(pattern.slice(i))?.[0] ?? '';
          i += oct.length;
          return codePointSource(parseInt(`0${oct}`, 8));
        }
        if (/[A-Za-z0-9]/.test(c)) return fail(`unknown escape \\${c}`);
        return literalChar(c, inClass);
    }
  };

  const readClass = (): string => {
    // pattern[i] === '['
    i++;
    let src = '[';
    if (pattern[i] === '^') {
      src += '^';
      i++;
    }
    let first = true;
    /** Whether the previous item was a class like \\d (a following '-' is then a literal). */
    let afterSet = false;
    for (;;) {
      const c = pattern[i];
      if (c === undefined) return fail("'[' without ']'");
      if (c === ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c === '-') {
        const next = pattern[i + 1];
        const nextIsSet = next === '\\' && /[dDwWsShHvVN]/.test(pattern[i + 2] ?? '');
        src += afterSet || nextIsSet || next === ']' ? '\\-' : '-';
        afterSet = false;
        i++;
        continue;
      }
      if (c === '\\') {
        afterSet = /[dDwWsShHvV]/.test(pattern[i + 1] ?? '');
        src += readEscape(true);
        continue;
      }
      afterSet = false;
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
        if (posix) {
          const set = POSIX_CLASSES[posix[2] as string];
          if (set === undefined) return fail(`unknown POSIX class [:${posix[2]}:]`);
          if (posix[1]) return fail('negated POSIX classes are not supported');
          src += set;
          i += posix[0].length;
          continue;
        }
        src += '\\[';
        i++;
        continue;
      }
      if (c === ']') src += '\\]';
      else src += literalChar(c, true);
      i++;
    }
    if (flags.caseless) src = caselessClass(src);
    return `${src}]`;
  };

  const readQuantifier = (): boolean => {
    const rest = pattern.slice(i);
    const q = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(rest);
    if (!q) return false;
    const text = q[0];
    i += text.length;
    let lazy = false;
    if (pattern[i] === '+') fail(`possessive quantifier ${text}+ is not supported`);
    if (pattern[i] === '?') {
      lazy = true;
      i++;
    }
    if (flags.ungreedy) lazy = !lazy;
    const unbounded = text === '*' || text === '+' || /,\}$/.test(text);
    if (unbounded) {
      unboundedCount++;
      if (lastAtom?.unboundedInside) {
        fail('an unbounded quantifier over a group that holds another unbounded quantifier can backtrack catastrophically; rewrite it');
      }
      markUnbounded();
    }
    out += text + (lazy ? '?' : '');
    return true;
  };

  while (i < pattern.length) {
    const c = pattern[i] as string;
    const start = out.length;
    lastAtom = { unboundedInside: false };
    if (c === '\\') out += readEscape(false);
    else if (c === '[') out += readClass();
    else if (c === '(') {
      if (pattern.startsWith('(?#', i)) {
        const end = pattern.indexOf(')', i);
        if (end === -1) fail('unterminated comment');
        i = end + 1;
        continue;
      }
      if (pattern.startsWith('(*', i)) fail('verbs other than leading (*UTF) are not supported');
      let open: string;
      if (pattern.startsWith('(?:', i)) { open = '(?:'; i += 3; }
      else if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) { if (linear) notLinear(); open = pattern.slice(i, i + 3); i += 3; }
      else if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) { if (linear) notLinear(); open = pattern.slice(i, i + 4); i += 4; }
      else {
        const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(pattern.slice(i));
        if (named) {
          const name = (named[1] ?? named[2]) as string;
          groupCount++;
          names.set(name, groupCount);
          open = `(?<${name}>`;
          i += named[0].length;
        } else if (pattern.startsWith('(?P=', i)) {
          if (linear) notLinear();
          const ref = /^\(\?P=(\w+)\)/.exec(pattern.slice(i));
          if (!ref) return fail('bad (?P=name) reference');
          out += `\\k<${ref[1]}>`;
          i += ref[0].length;
          readQuantifier();
          continue;
        } else if (/^\(\?[imsU]*(?:-[imsU]*)?[:)]/.test(pattern.slice(i))) {
          // Option settings: to the end of the enclosing group, or for a (?i:...) group only.
          const opt = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(pattern.slice(i)) as RegExpExecArray;
          const saved = { ...flags };
          setFlags(opt[1] ?? '', true);
          setFlags(opt[2] ?? '', false);
          i += opt[0].length;
          if (opt[3] === ')') continue;
          out += '(?:';
          groupStack.push({ unbounded: false, start, restore: saved });
          continue;
        } else if (pattern.startsWith('(?', i)) {
          const what = pattern.startsWith('(?>', i) ? 'atomic groups (?>...)'
            : pattern.startsWith('(?|', i) ? 'branch reset groups (?|...)'
            : pattern.startsWith('(?(', i) ? 'conditional groups'
            : /^\(\?[-imsxU]*[:)]/.test(pattern.slice(i)) ? 'option settings inside the pattern (only at its start)'
            : 'this group syntax';
          return fail(`${what} not supported`);
        } else {
          groupCount++;
          open = '(';
          i += 1;
        }
      }
      out += open;
      groupStack.push({ unbounded: false, start, restore: { ...flags } });
      continue;
    } else if (c === ')') {
      const group = groupStack.pop();
      if (!group) return fail("')' without '('");
      Object.assign(flags, group.restore);
      out += ')';
      i++;
      lastAtom = { unboundedInside: group.unbounded };
      if (group.unbounded) markUnbounded();
      readQuantifier();
      continue;
    } else if (c === '.') {
      out += flags.dotall ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (c === '^') {
      if (linear && flags.multiline) notLinear();
      out += linear ? '^' : flags.multiline ? '(?<=^|\\n(?=[\\s\\S]))' : '(?<![\\s\\S])';
      i++;
      continue;
    } else if (c === '$') {
      if (linear && flags.multiline) notLinear();
      out += linear ? '$' : flags.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
      i++;
      continue;
    } else if (c === '|') {
      out += '|';
      i++;
      continue;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(pattern.slice(i)))) {
      return fail(`quantifier '${c}' at offset ${i} follows nothing`);
    } else {
      out += flags.caseless && /[A-Za-z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : literalChar(c, false);
      i++;
    }
    readQuantifier();
  }
  if (groupStack.length > 0) fail("'(' without ')'");
  return { source: linear ? out : startAtRunStarts(out), caseless: flags.caseless, groupCount, unbounded: unboundedCount };
}

const LEADING_RUN = /^((?:\((?:\?:|\?<[A-Za-z_]\w*>)?)*)(\[(?:\\.|[^\\\]])*\]|\\u[0-9a-f]{4}|\\[^ux0-9bBkg]|[^\\[\]()|*+?{}^$.])[*+]/;

/**
 * A pattern that starts with a run of one class (`[^%]*x`, `\S+ y`) and no anchor makes a backtracking engine try
 * every start position inside every run, each time scanning the rest of the run: quadratic time on a long line
 * (9 s on 64 KiB for one decoder of the Wazuh ruleset). A match starting inside a run implies one starting where
 * the run starts, further left, so the leftmost match always starts where the previous character is not in the
 * class. Saying so with a lookbehind gives the same matches and captures in linear time.
 */
export function startAtRunStarts(source: string): string {
  const m = LEADING_RUN.exec(source);
  if (!m) return source;
  const groups = m[1] as string;
  // Inside a leading group an alternation would let another branch start the match: keep the pattern as is.
  if (groups !== '' && source.includes('|')) return source;
  return `(?<!${m[2]})${source}`;
}

function literalChar(ch: string, inClass: boolean): string {
  if (inClass) return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch === '/' ? '\\/' : ch;
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Adds the other case of every ASCII letter and letter range in a class body (caseless PCRE2 folds ASCII). */
function caselessClass(src: string): string {
  let extra = '';
  const re = /(\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|\\.|.)(?:-(\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|\\.|.))?/g;
  let m: RegExpExecArray | null;
  const body = src.replace(/^\[\^?/, '');
  while ((m = re.exec(body)) !== null) {
    const a = m[1] as string;
    const b = m[2];
    if (a.length !== 1) continue;
    if (b === undefined) {
      if (/[a-z]/.test(a)) extra += a.toUpperCase();
      else if (/[A-Z]/.test(a)) extra += a.toLowerCase();
      continue;
    }
    if (b.length !== 1) continue;
    const lo = Math.max(a.charCodeAt(0), 65);
    const hi = Math.min(b.charCodeAt(0), 122);
    for (let c = lo; c <= hi; c++) {
      if (c >= 65 && c <= 90) extra += String.fromCharCode(c + 32);
      else if (c >= 97 && c <= 122) extra += String.fromCharCode(c - 32);
    }
  }
  return src + extra;
}
