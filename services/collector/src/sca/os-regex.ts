/**
 * OSSEC/Wazuh OS_Regex, the default dialect of SCA `r:` and `n:` patterns. It is not a backtracking regex: it
 * is a single forward scan with lazy quantifiers and at most four restart points, so a JavaScript RegExp
 * disagrees with it on real patterns. This follows the algorithm of docs/wazuh-ruleset-semantics.md §4.2
 * (checked there against the C engine) and is tested against its conformance vectors.
 *
 * Works on UTF-16 code units: characters above 0x7F belong to no class but the complements and `\.`.
 */

const ESC = 92;
const GRP = 40;
const PLUS = 43;
const STAR = 42;
const NONE = -0x7fffffff;

/** Class codes after an escape. */
const CLASS_CODES: Record<string, number> = {
  d: 1, w: 2, s: 3, p: 4, '(': 5, ')': 6, '\\': 7, D: 8, W: 9, S: 10, '.': 11, t: 12, $: 13, '|': 14, '<': 15,
};

const PUNCT = new Set(Array.from('!"#$%&\'()*+,-.:;<=>?[]{|}', (c) => c.charCodeAt(0)));

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWord(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 45 || c === 64 || c === 95;
}

function inClass(k: number, c: number): boolean {
  switch (k) {
    case 1: return isDigit(c);
    case 2: return isWord(c);
    case 3: return c === 32;
    case 4: return PUNCT.has(c);
    case 5: return c === 40;
    case 6: return c === 41;
    case 7: return c === 92;
    case 8: return !isDigit(c);
    case 9: return !isWord(c);
    case 10: return c !== 32;
    case 11: return true;
    case 12: return c === 9;
    case 13: return c === 36;
    case 14: return c === 124;
    case 15: return c === 60;
    default: return false;
  }
}

function low(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isRep(x: number | undefined): boolean {
  return x === PLUS || x === STAR;
}

interface Alternative {
  cells: number[];
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

export interface OsRegex {
  readonly source: string;
  readonly alternatives: readonly Alternative[];
  readonly hasGroups: boolean;
}

export interface OsRegexMatch {
  /** The engine's end position (see §4.2); decoders resume after it. */
  end: number;
  captures: string[];
}

export class OsRegexSyntaxError extends Error {
  constructor(pattern: string, reason: string) {
    super(`invalid OS_Regex '${pattern}': ${reason}`);
    this.name = 'OsRegexSyntaxError';
  }
}

const MAX_PATTERN = 20480;

/** Compiles an OS_Regex pattern; throws OsRegexSyntaxError where the C engine refuses to compile it. */
export function compileOsRegex(pattern: string): OsRegex {
  if (pattern.length > MAX_PATTERN) throw new OsRegexSyntaxError(pattern.slice(0, 40), 'longer than 20480 characters');
  const alternatives: Alternative[] = [];
  let cells: number[] = [];
  let depth = 0;
  let hasGroups = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1];
      const code = next === undefined ? undefined : CLASS_CODES[next];
      if (code === undefined) throw new OsRegexSyntaxError(pattern, next === undefined ? 'trailing backslash' : `unknown escape '\\${next}'`);
      cells.push(ESC, code);
      i++;
    } else if (ch === '(') {
      depth++;
      hasGroups = true;
      if (depth > 1) throw new OsRegexSyntaxError(pattern, 'nested groups');
      cells.push(GRP);
    } else if (ch === ')') {
      depth--;
      if (depth < 0) throw new OsRegexSyntaxError(pattern, "unbalanced ')'");
      cells.push(GRP);
    } else if (ch === '|') {
      if (depth !== 0) throw new OsRegexSyntaxError(pattern, "'|' inside a group");
      alternatives.push(finishAlternative(cells));
      cells = [];
    } else {
      cells.push(low(ch.charCodeAt(0)));
    }
  }
  if (depth !== 0) throw new OsRegexSyntaxError(pattern, "unbalanced '('");
  alternatives.push(finishAlternative(cells));
  return { source: pattern, alternatives, hasGroups };
}

function finishAlternative(raw: number[]): Alternative {
  let cells = raw;
  let anchoredStart = false;
  let anchoredEnd = false;
  if (cells[0] === 94) {
    anchoredStart = true;
    cells = cells.slice(1);
  }
  // A literal '$' is its own cell; an escaped one is [ESC, 13] and never anchors.
  if (cells.length > 0 && cells[cells.length - 1] === 36 && !(cells.length >= 2 && cells[cells.length - 2] === ESC)) {
    anchoredEnd = true;
    cells = cells.slice(0, -1);
  }
  return { cells: [...cells, 0, 0, 0, 0, 0, 0, 0], anchoredStart, anchoredEnd };
}

function toCodes(subject: string): number[] {
  const s = new Array<number>(subject.length + 1);
  for (let i = 0; i < subject.length; i++) s[i] = subject.charCodeAt(i) || 0xfffd;
  s[subject.length] = 0;
  return s;
}

function at(a: readonly number[], i: number): number {
  return a[i] ?? 0;
}

function matchAlternative(alt: Alternative, S: number[], captureMode: boolean, cap: Map<number, number>): number {
  const P = alt.cells;
  const { anchoredStart, anchoredEnd } = alt;
  let pt = 0;
  let st = 0;
  let r = 0;
  let stErr = NONE;
  let rep = false;
  const bt: Array<[number, number] | undefined> = [undefined, undefined, undefined, undefined];

  while (at(S, st) !== 0) {
    const c = at(S, st);
    if (at(P, pt) === 0) {
      if (!anchoredEnd) return r;
    } else if (at(P, pt) === GRP) {
      if (captureMode) cap.set(pt, st);
      pt++;
      if (at(P, pt) === 0 && !anchoredEnd) return r;
    }
    if (at(P, pt) === ESC) {
      const k = at(P, pt + 1);
      const q = at(P, pt + 2);
      if (inClass(k, c)) {
        if (!isRep(q)) {
          pt += 2;
          if (stErr === NONE) stErr = st;
          r = st;
          st++;
          continue;
        }
        if (q === STAR) rep = true;
        if (rep) {
          let n = pt + 3;
          let ok = -1;
          if (at(P, n) === GRP) n++;
          if (at(P, n) === 0) ok = 1;
          else if (at(P, n) === ESC) {
            if (inClass(at(P, n + 1), c)) ok = isRep(at(P, n + 2)) ? 0 : 2;
          } else if (at(P, n) === low(c)) {
            rep = false;
            ok = 1;
          }
          if (ok >= 0) {
            if (captureMode && at(P, n - 1) === GRP) cap.set(n - 1, rep && ok === 1 ? st + 1 : st);
            if (at(P, n) === 0) {
              st++;
              continue;
            }
            n += ok;
            const free = bt.findIndex((slot) => slot === undefined);
            if (free >= 0) bt[free] = [pt, st];
            pt = n;
          }
        } else {
          rep = true;
          if (captureMode && at(P, pt + 3) === GRP) cap.set(pt + 3, at(S, st + 1) === 0 ? st + 1 : st);
        }
        r = st;
        st++;
        continue;
      } else if ((q === 0 || at(P, pt + 3) === 0) && rep && r !== NONE) {
        r = st;
        if (!anchoredEnd) return r;
      } else if (q === PLUS && rep) {
        pt += 3;
        rep = false;
        continue;
      } else if (q === STAR) {
        pt += 3;
        r = st - 1;
        rep = false;
        continue;
      }
      rep = false;
    } else if (at(P, pt) === low(c)) {
      pt++;
      if (stErr === NONE) stErr = st;
      r = st;
      st++;
      continue;
    }
    // failure
    let used = -1;
    for (let i = bt.length - 1; i >= 0; i--) {
      if (bt[i] !== undefined) {
        used = i;
        break;
      }
    }
    if (used >= 0) {
      const [bpt, bst] = bt[used] as [number, number];
      bt[used] = undefined;
      pt = bpt;
      st = bst + 1;
      continue;
    }
    if (anchoredStart) return NONE;
    if (stErr !== NONE) {
      st = stErr;
      stErr = NONE;
    }
    pt = 0;
    r = NONE;
    st++;
  }

  // Subject exhausted.
  if (captureMode) {
    while (at(P, pt) === ESC && at(P, pt + 2) === STAR) pt += 3;
    if (at(P, pt) === GRP) cap.set(pt, st);
  }
  const atEnd = (): boolean => {
    if (at(P, pt) === GRP) pt++;
    return at(P, pt) === 0;
  };
  if (atEnd()) return r;
  if (at(P, pt) === ESC && rep) {
    pt += 2;
    if (isRep(at(P, pt))) pt++;
    if (atEnd()) return r;
  } else if (at(P, pt) === ESC) {
    pt += 2;
    if (at(P, pt) === STAR) pt++;
    if (atEnd()) return r;
  }
  if (at(P, pt) === ESC) {
    pt += 2;
    if (at(P, pt) === STAR) pt++;
    if (atEnd()) return r;
  }
  return NONE;
}

/**
 * Runs a compiled pattern. `captures` asks for substrings (decoder `<regex>`, SCA `r:` and `n:`); capture mode
 * is only on when the pattern has a group. Returns undefined when it does not match.
 */
export function execOsRegex(regex: OsRegex, subject: string, captures = true): OsRegexMatch | undefined {
  const S = toCodes(subject);
  const captureMode = captures && regex.hasGroups;
  for (const alt of regex.alternatives) {
    const cap = new Map<number, number>();
    const r = matchAlternative(alt, S, captureMode, cap);
    if (r === NONE) continue;
    const out: string[] = [];
    if (captureMode) {
      const groups: number[] = [];
      alt.cells.forEach((cell, i) => {
        if (cell === GRP) groups.push(i);
      });
      for (let g = 0; g + 1 < groups.length; g += 2) {
        const open = cap.get(groups[g] as number);
        const close = cap.get(groups[g + 1] as number);
        if (open === undefined || close === undefined) break;
        if (close < open) return undefined;
        out.push(subject.slice(open, close));
      }
    }
    return { end: Math.max(r, 0), captures: out };
  }
  return undefined;
}

const compiled = new Map<string, OsRegex | undefined>();

/** Whether `subject` matches; a pattern that does not compile never matches (as in SCA `r:`). Compiled once. */
export function testOsRegex(pattern: string, subject: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined && !compiled.has(pattern)) {
    try {
      regex = compileOsRegex(pattern);
    } catch {
      regex = undefined;
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex !== undefined && execOsRegex(regex, subject, false) !== undefined;
}
