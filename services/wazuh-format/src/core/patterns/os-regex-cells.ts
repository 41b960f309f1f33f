import { PatternError } from './pattern-error.ts';

/**
 * OS_Regex compiled into integer cells, as the C engine compiles it (see os-regex.ts), with the prefilters that
 * let most subjects skip the interpreter: a RegExp for quantifier-free alternatives, the literal runs every match
 * must contain, and the characters an anchored match can start with.
 */
export const ESC = 92;
export const GRP = 40;
export const PLUS = 43;
export const STAR = 42;
export const NONE = -0x40000000;
export const PADDING = 8;

/** Codes of the backslash classes, as the C engine numbers them. */
export const CLASS_CODES: Record<string, number> = {
  d: 1, w: 2, s: 3, p: 4, '(': 5, ')': 6, '\\': 7, D: 8, W: 9, S: 10, '.': 11, t: 12, $: 13, '|': 14, '<': 15,
};

/** ASCII membership table per class code: bit k set when the character belongs to class k. */
export const CLASS_TABLE = new Uint32Array(128);
(() => {
  const add = (code: number, test: (c: number) => boolean) => {
    for (let c = 0; c < 128; c++) if (test(c)) CLASS_TABLE[c] = (CLASS_TABLE[c] as number) | (1 << code);
  };
  const isDigit = (c: number) => c >= 48 && c <= 57;
  const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 64 || c === 95;
  const punct = new Set(Array.from('!"#$%&\'()*+,-.:;<=>?[]{|}', (ch) => ch.charCodeAt(0)));
  add(1, isDigit);
  add(2, isWord);
  add(3, (c) => c === 32);
  add(4, (c) => punct.has(c));
  add(5, (c) => c === 40);
  add(6, (c) => c === 41);
  add(7, (c) => c === 92);
  add(8, (c) => c !== 0 && !isDigit(c));
  add(9, (c) => c !== 0 && !isWord(c));
  add(10, (c) => c !== 0 && c !== 32);
  add(11, (c) => c !== 0);
  add(12, (c) => c === 9);
  add(13, (c) => c === 36);
  add(14, (c) => c === 124);
  add(15, (c) => c === 60);
})();
/** Classes a non-ASCII code unit belongs to: the complements and "any". */
export const NON_ASCII_CLASSES = (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11);

export function inClass(code: number, c: number): boolean {
  const bits = c < 128 ? (CLASS_TABLE[c] as number) : NON_ASCII_CLASSES;
  return (bits & (1 << code)) !== 0;
}

export function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export function isRep(x: number): boolean {
  return x === PLUS || x === STAR;
}

export interface Alternative {
  /** The cells, followed by PADDING zeros. */
  cells: Int32Array;
  anchoredStart: boolean;
  anchoredEnd: boolean;
  /** Indexes of the GRP cells, in order. */
  groups: number[];
  /** A JavaScript RegExp equivalent to this alternative (no quantifier, no group), or undefined. */
  fast: RegExp | undefined;
  /**
   * For an unanchored alternative: its longest run of literal cells, as a case-insensitive RegExp. Every match
   * consumes that run on consecutive characters, so a subject without it cannot match: a cheap rejection that
   * spares the interpreter its scan of the whole subject.
   */
  required: Array<RegExp | string> | undefined;
  /**
   * Every run of consecutive literal cells (lowercase: cells are lowered), longest first, each once. Each literal
   * cell consumes one subject character equal to it after ASCII lowering, and consecutive ones consume consecutive
   * characters, so every match holds each run, ASCII case-insensitively: decode-log's literal prefilter uses them.
   * Single-character classes (`\s`, `\|`) do not extend a run: the engine may accept without matching a class
   * that ends the pattern (after a repetition), so a class is not always consumed.
   */
  runs: string[];
}

/** The runs of consecutive literal cells, longest first, each once (see Alternative.runs). */
function literalRuns(cells: number[]): string[] {
  const runs = new Set<string>();
  let cur = '';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i] as number;
    if (c === ESC || c === GRP) {
      if (cur !== '') runs.add(cur);
      cur = '';
      // A class, or a quantified class (the quantifier cell after it is not a literal).
      if (c === ESC) i += isRep(cells[i + 2] ?? 0) ? 2 : 1;
    } else cur += String.fromCharCode(c);
  }
  if (cur !== '') runs.add(cur);
  return [...runs].sort((a, b) => b.length - a.length);
}

/** Each literal run as the cheapest test: indexOf without letters, else a case-insensitive RegExp. */
function runTests(runs: string[]): Array<RegExp | string> | undefined {
  if (runs.length === 0) return undefined;
  return runs.map((r) => (/[a-z]/.test(r) ? new RegExp(r.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), 'gi') : r));
}

/** JavaScript source for one literal or class cell of a quantifier-free alternative. */
function cellSource(cells: number[], i: number): string {
  const c = cells[i] as number;
  if (c !== ESC) {
    const ch = String.fromCharCode(c);
    if (c >= 97 && c <= 122) return `[${ch}${ch.toUpperCase()}]`;
    return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : c < 32 || c > 126 ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  switch (cells[i + 1]) {
    case 1: return '[0-9]';
    case 2: return '[A-Za-z0-9\\-@_]';
    case 3: return ' ';
    case 4: return '[!"#$%&\'()*+,\\-.:;<=>?[\\]{|}]';
    case 5: return '\\(';
    case 6: return '\\)';
    case 7: return '\\\\';
    case 8: return '[^0-9\\0]';
    case 9: return '[^A-Za-z0-9\\-@_\\0]';
    case 10: return '[^ \\0]';
    case 11: return '[^\\0]';
    case 12: return '\\t';
    case 13: return '\\$';
    case 14: return '\\|';
    default: return '<';
  }
}

/**
 * For an alternative of literals and single classes only, the engine is a plain leftmost search whose end is the
 * index of the last character matched: a RegExp gives the same answer, faster.
 */
function fastRegExp(cells: number[], anchoredStart: boolean, anchoredEnd: boolean): RegExp | undefined {
  if (cells.length === 0) return undefined;
  let source = '';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i] as number;
    if (c === GRP) return undefined;
    if (c === ESC) {
      if (isRep(cells[i + 2] ?? 0)) return undefined;
      source += cellSource(cells, i);
      i++;
    } else source += cellSource(cells, i);
  }
  // \0 ends the subject in C: the match may not run over one.
  return new RegExp(`${source}${anchoredEnd ? '(?![^\\0])' : ''}`, anchoredStart ? 'y' : 'g');
}

export function compileAlternatives(pattern: string): { alternatives: Alternative[]; hasGroups: boolean } {
  if (pattern.length > 20480) throw new PatternError('osregex', pattern, 'longer than 20480 characters');
  const raw: number[][] = [];
  let cur: number[] = [];
  let depth = 0;
  let hasGroups = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charCodeAt(i);
    if (ch === 92) {
      const next = pattern[i + 1];
      const code = next === undefined ? undefined : CLASS_CODES[next];
      if (code === undefined) {
        throw new PatternError('osregex', pattern, next === undefined ? 'ends with a lone backslash' : `unknown escape '\\${next}' at offset ${i}`);
      }
      cur.push(ESC, code);
      i++;
    } else if (ch === 40) {
      depth++;
      if (depth > 1) throw new PatternError('osregex', pattern, `nested group at offset ${i} (groups cannot nest)`);
      cur.push(GRP);
      hasGroups = true;
    } else if (ch === 41) {
      depth--;
      if (depth < 0) throw new PatternError('osregex', pattern, `')' without '(' at offset ${i}`);
      cur.push(GRP);
    } else if (ch === 124) {
      if (depth !== 0) throw new PatternError('osregex', pattern, `'|' inside a group at offset ${i}`);
      raw.push(cur);
      cur = [];
    } else if (ch === 0) {
      throw new PatternError('osregex', pattern, 'contains a NUL character');
    } else {
      cur.push(lower(ch));
    }
  }
  if (depth !== 0) throw new PatternError('osregex', pattern, "'(' without ')'");
  raw.push(cur);
  const alternatives = raw.map((cells): Alternative => {
    let anchoredStart = false;
    let anchoredEnd = false;
    if (cells[0] === 94) {
      anchoredStart = true;
      cells = cells.slice(1);
    }
    if (cells.length > 0 && cells[cells.length - 1] === 36 && cells[cells.length - 2] !== ESC) {
      anchoredEnd = true;
      cells = cells.slice(0, -1);
    }
    const groups: number[] = [];
    cells.forEach((c, i) => {
      if (c === GRP && cells[i - 1] !== ESC) groups.push(i);
    });
    const padded = new Int32Array(cells.length + PADDING);
    padded.set(cells);
    const fast = fastRegExp(cells, anchoredStart, anchoredEnd);
    // An anchored alternative that starts with a literal fails at once on other subjects; one that starts with a
    // class may scan far before failing, so it is prefiltered as well.
    const firstIsClass = cells.find((c) => c !== GRP) === ESC;
    const runs = literalRuns(cells);
    const required = fast || (anchoredStart && !firstIsClass) ? undefined : runTests(runs.slice(0, 4));
    return { cells: padded, anchoredStart, anchoredEnd, groups, fast, required, runs };
  });
  return { alternatives, hasGroups };
}

export function hasRuns(runs: Array<RegExp | string>, subject: string, from: number): boolean {
  for (const r of runs) {
    if (typeof r === 'string') {
      if (subject.indexOf(r, from) === -1) return false;
    } else {
      r.lastIndex = from;
      if (!r.test(subject)) return false;
    }
  }
  return true;
}

/**
 * When every alternative is anchored at the start, the characters a match can begin with (index 128 stands for
 * any non-ASCII code unit), so a subject starting otherwise is rejected at once. Undefined when unknown.
 */
export function startMask(alternatives: readonly Alternative[]): Uint8Array | undefined {
  const mask = new Uint8Array(129);
  const addClass = (k: number) => {
    for (let ch = 1; ch < 128; ch++) if (((CLASS_TABLE[ch] as number) & (1 << k)) !== 0) mask[ch] = 1;
    if ((NON_ASCII_CLASSES & (1 << k)) !== 0) mask[128] = 1;
  };
  for (const alt of alternatives) {
    if (!alt.anchoredStart) return undefined;
    const P = alt.cells;
    let i = 0;
    // Leading `\X*` elements may take the first character or let the next element take it.
    for (;;) {
      while (P[i] === GRP) i++;
      const c = P[i] as number;
      if (c === 0) return undefined; // everything optional: any subject may match
      if (c === ESC) {
        addClass(P[i + 1] as number);
        if (P[i + 2] === STAR) {
          i += 3;
          continue;
        }
      } else {
        mask[c] = 1;
        if (c >= 97 && c <= 122) mask[c - 32] = 1;
        if (c > 127) mask[128] = 1;
      }
      break;
    }
  }
  return mask;
}
