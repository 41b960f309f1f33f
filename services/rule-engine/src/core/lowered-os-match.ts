/**
 * OS_Match for rules, on subjects lowered once per event: the same semantics as the decoder package's OsMatch
 * (a leading `!` negates; alternatives split on every `|`; `^X$` equals, `^X` starts with, `X$` ends with, `X`
 * contains; ASCII letters compare case-insensitively; an empty alternative always matches), but each alternative is
 * a plain `indexOf`/`startsWith`/`endsWith` on the lowered subject, which is much faster than a case-folding RegExp
 * on long logs (JSON events), and the subject is lowered once however many rules look at it.
 */
export interface LoweredOsMatch {
  readonly pattern: string;
  /** Tests a subject already lowered with `lowerAscii`. */
  testLowered(lowered: string): boolean;
  test(subject: string): boolean;
}

const NON_ASCII_RUNS = /[^\x00-\x7f]+/g;

/** The last subject lowered and its result: rules test the same field (a URL, a user) many times per event. */
let lastIn = '';
let lastOut = '';

/**
 * Lowers ASCII letters only (as OS_Match folds case), keeping every other character and the length. The ASCII
 * stretches go through the native `toLowerCase` (which would also lower letters such as `É`, so the non-ASCII runs
 * are copied as they are): a callback per upper-case letter cost several times more on long JSON events. The UTF-8
 * length tells an ASCII-only subject natively, faster than a RegExp scan.
 */
export function lowerAscii(s: string): string {
  if (s === lastIn) return lastOut;
  let out: string;
  if (Buffer.byteLength(s, 'utf8') === s.length) out = s.toLowerCase();
  else {
    out = '';
    let last = 0;
    NON_ASCII_RUNS.lastIndex = 0;
    for (let m = NON_ASCII_RUNS.exec(s); m !== null; m = NON_ASCII_RUNS.exec(s)) {
      out += s.slice(last, m.index).toLowerCase() + m[0];
      last = NON_ASCII_RUNS.lastIndex;
    }
    out += s.slice(last).toLowerCase();
  }
  lastIn = s;
  lastOut = out;
  return out;
}

type Alt = { kind: 0 | 1 | 2 | 3; text: string };

export function compileLoweredOsMatch(pattern: string): LoweredOsMatch {
  let body = pattern;
  const negate = body.startsWith('!');
  if (negate) body = body.slice(1);
  let always = false;
  const alts: Alt[] = [];
  for (const alt of body.split('|')) {
    const starts = alt.startsWith('^');
    const ends = alt.endsWith('$') && alt.length > (starts ? 1 : 0);
    const core = lowerAscii(alt.slice(starts ? 1 : 0, ends ? -1 : undefined));
    if (core === '' && !(starts && ends)) {
      always = true;
      continue;
    }
    alts.push({ kind: starts && ends ? 3 : starts ? 1 : ends ? 2 : 0, text: core });
  }
  if (!always && alts.length > 1) {
    // Several alternatives: one scan with a RegExp of literals on the lowered subject (no case folding needed).
    const re = new RegExp(alts.map((a) => `${a.kind === 1 || a.kind === 3 ? '^' : ''}${escape(a.text)}${a.kind >= 2 ? '$' : ''}`).join('|'));
    const testLowered = (s: string): boolean => re.test(s) !== negate;
    return { pattern, testLowered, test: (s) => testLowered(lowerAscii(s)) };
  }
  const testLowered = (s: string): boolean => {
    let hit = always;
    for (let i = 0; !hit && i < alts.length; i++) {
      const a = alts[i] as Alt;
      switch (a.kind) {
        case 0: hit = s.includes(a.text); break;
        case 1: hit = s.startsWith(a.text); break;
        case 2: hit = s.endsWith(a.text); break;
        default: hit = s === a.text;
      }
    }
    return negate ? !hit : hit;
  };
  return { pattern, testLowered, test: (s) => testLowered(lowerAscii(s)) };
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
