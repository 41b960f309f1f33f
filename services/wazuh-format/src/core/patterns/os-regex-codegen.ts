import { CLASS_TABLE, ESC, GRP, NON_ASCII_CLASSES, NONE, PLUS, STAR, isRep, type Alternative } from './os-regex-cells.ts';
import { finishAlternative } from './os-regex-engine.ts';

/**
 * The interpreter of os-regex-engine.ts specialised for one alternative: a JavaScript function whose `switch` has
 * one case per cell index, each case being the interpreter's step with the cells (and the capture mode) folded in.
 * The generic interpreter spends most of its time reading cells and testing what they are; here that is done
 * once, at compile time. The steps are transcribed one for one, in the same order, so results, end positions and
 * captures are those of the interpreter (os-regex-differential.test.ts compares both on the Wazuh ruleset).
 *
 * One addition: an unanchored alternative that starts with a literal or a single class restarts one character
 * further on each character that cannot start it, with no other change of state (see `skipCode`); the generated
 * function scans for the next candidate in a tight loop instead of going round the whole step for each one.
 */

/** Runs one alternative on `s` from `base`, as runAlternative does (positions relative to `base`, or NONE). */
export type AlternativeRunner = (s: string, base: number, cap: Int32Array) => number;

/** Longer alternatives keep the interpreter: V8 stops optimising functions past a certain size. */
const MAX_CELLS = 400;

/**
 * A JavaScript expression that is true when the code unit `c` belongs to class `k`. Only used inside the main loop
 * where `c` is never 0 (a NUL ends the subject), which is what makes `\.` plain `true` and the complements plain
 * negations.
 */
function classTest(k: number): string {
  let test = classTests.get(k);
  if (test === undefined) classTests.set(k, (test = buildClassTest(k)));
  return test;
}
const classTests = new Map<number, string>();

function buildClassTest(k: number): string {
  const bit = 1 << k;
  const members: number[] = [];
  const others: number[] = [];
  for (let ch = 1; ch < 128; ch++) ((CLASS_TABLE[ch] as number) & bit ? members : others).push(ch);
  const nonAscii = (NON_ASCII_CLASSES & bit) !== 0;
  if (!nonAscii && members.length === 1) return `c === ${members[0]}`;
  if (!nonAscii && members.length === 10 && members[0] === 48 && members[9] === 57) return '(c >= 48 && c <= 57)';
  if (nonAscii && others.length === 0) return 'true';
  if (nonAscii && others.length === 1) return `c !== ${others[0]}`;
  if (nonAscii && others.length === 10 && others[0] === 48 && others[9] === 57) return '(c < 48 || c > 57)';
  return nonAscii ? `(c >= 128 || (T[c] & ${bit}) !== 0)` : `(c < 128 && (T[c] & ${bit}) !== 0)`;
}

/** A JavaScript expression for the interpreter's `p === lower(c)` (with `c` never 0), or undefined when never. */
function literalTest(p: number): string | undefined {
  if (p === 0 || (p >= 65 && p <= 90)) return undefined; // lower(c) is never 0 here, nor an upper-case letter
  // A lower-case letter has bit 0x20 set: `c | 32` equals it for that letter and its upper case only.
  if (p >= 97 && p <= 122) return `(c | 32) === ${p}`;
  return `c === ${p}`;
}

/** The interpreter's "push a restart point" for the element at `pt`, character `st`. */
function pushRestart(pt: number): string {
  return (
    `if (bt0p === NONE) { bt0p = ${pt}; bt0s = st; } else if (bt1p === NONE) { bt1p = ${pt}; bt1s = st; } ` +
    `else if (bt2p === NONE) { bt2p = ${pt}; bt2s = st; } else if (bt3p === NONE) { bt3p = ${pt}; bt3s = st; }`
  );
}

class Generator {
  private readonly P: Int32Array;
  private readonly anchoredEnd: boolean;
  private readonly anchoredStart: boolean;
  private readonly captureMode: boolean;

  constructor(alt: Alternative, captureMode: boolean) {
    this.P = alt.cells;
    this.anchoredEnd = alt.anchoredEnd;
    this.anchoredStart = alt.anchoredStart;
    this.captureMode = captureMode;
  }

  private at(i: number): number {
    return this.P[i] ?? 0;
  }

  /** The capture write `cap[i] = value` when cell i is a group mark in capture mode (the interpreter's test). */
  private capWrite(i: number, value: string): string {
    return this.captureMode && this.at(i) === GRP ? `cap[${i}] = ${value}; ` : '';
  }

  /** The step for `pt === i` (the body of one `case`). Every path ends in `continue`, `return` or `break` (failure). */
  step(i: number): string {
    let code = '';
    let j = i;
    const p0 = this.at(i);
    if (p0 === 0) {
      if (!this.anchoredEnd) return 'return r;';
    } else if (p0 === GRP) {
      if (this.captureMode) code += `cap[${i}] = st; `;
      j = i + 1;
      if (this.at(j) === 0 && !this.anchoredEnd) return `${code}return r;`;
      code += `pt = ${j}; `;
    }
    const p = this.at(j);
    if (p === ESC) code += this.classStep(j);
    else {
      const test = literalTest(p);
      if (test !== undefined) code += `if (${test}) { pt = ${j + 1}; if (stErr === NONE) stErr = st; r = st; st++; continue; } `;
    }
    if (i === 0 && !this.anchoredStart && p !== 0) code += this.skipCode(j);
    return `${code}break;`;
  }

  /** The step for a class element at `j` (a single class, `\X+` or `\X*`). */
  private classStep(j: number): string {
    const k = this.at(j + 1);
    const q = this.at(j + 2);
    let code = `if (${classTest(k)}) { `;
    if (!isRep(q)) {
      code += `pt = ${j + 2}; if (stErr === NONE) stErr = st; r = st; st++; continue; } `;
    } else {
      const first = `rep = true; ${this.capWrite(j + 3, 'st + 1 >= n || s.charCodeAt(base + st + 1) === 0 ? st + 1 : st')}`;
      if (q === STAR) code += `rep = true; ${this.lookahead(j)}`;
      else code += `if (rep) { ${this.lookahead(j)}} else { ${first}} `;
      code += 'r = st; st++; continue; } ';
    }
    // The class does not take c.
    const last = q === 0 || this.at(j + 3) === 0;
    let chain = '';
    if (last) chain += `if (rep && r !== NONE) { r = st; ${this.anchoredEnd ? '' : 'return r; '}} `;
    if (q === PLUS) chain += `${last ? 'else ' : ''}if (rep) { pt = ${j + 3}; rep = false; continue; } `;
    else if (q === STAR) chain += `${last ? 'else ' : ''}{ pt = ${j + 3}; r = st - 1; rep = false; continue; } `;
    return `${code}${chain}rep = false; `;
  }

  /** While `\X+`/`\X*` at `j` repeats (rep set, c in the class): may the next element take c as well? */
  private lookahead(j: number): string {
    let nx = j + 3;
    if (this.at(nx) === GRP) nx++;
    const pn = this.at(nx);
    if (pn === 0) return `${this.capWrite(nx - 1, 'st + 1')}st++; continue; `;
    if (pn === ESC) {
      const ok = isRep(this.at(nx + 2)) ? 0 : 2;
      return `if (${classTest(this.at(nx + 1))}) { ${this.capWrite(nx - 1, 'st')}${pushRestart(j)} pt = ${nx + ok}; } `;
    }
    const test = literalTest(pn);
    if (test === undefined) return '';
    return `if (${test}) { rep = false; ${this.capWrite(nx - 1, 'st')}${pushRestart(j)} pt = ${nx + 1}; } `;
  }

  /**
   * At pt 0 of an unanchored alternative there is no restart point and stErr is NONE (pt only returns to 0
   * through the failure path, which clears them), so a character the first element does not take only sets r to
   * NONE (and rep to false after a class), then moves one character on. Skip to the next character it could take,
   * or to the end of the subject as C sees it (the first NUL).
   */
  private skipCode(j: number): string {
    const p = this.at(j);
    let test: string | undefined;
    let reset = 'r = NONE; ';
    if (p === ESC) {
      if (isRep(this.at(j + 2))) return '';
      test = classTest(this.at(j + 1));
      reset += 'rep = false; ';
    } else test = literalTest(p);
    if (test === undefined || test === 'true') return '';
    return `${reset}pt = 0; while (++st < n) { c = s.charCodeAt(base + st); if (c === 0 || ${test}) break; } continue; `;
  }

  /** The source of the whole function. */
  source(): string {
    // One case per element start (and the end): pt only ever moves from one element to another, restart points
    // are element starts, and the elements are cut exactly as the interpreter reads them.
    let cases = '';
    for (let i = 0; ; ) {
      cases += `case ${i}: { ${this.step(i)} }\n`;
      const c = this.at(i);
      if (c === 0) break;
      i += c === ESC ? (isRep(this.at(i + 2)) ? 3 : 2) : 1;
    }
    const failure =
      'if (bt3p !== NONE) { pt = bt3p; st = bt3s + 1; bt3p = NONE; continue; }\n' +
      'if (bt2p !== NONE) { pt = bt2p; st = bt2s + 1; bt2p = NONE; continue; }\n' +
      'if (bt1p !== NONE) { pt = bt1p; st = bt1s + 1; bt1p = NONE; continue; }\n' +
      'if (bt0p !== NONE) { pt = bt0p; st = bt0s + 1; bt0p = NONE; continue; }\n' +
      (this.anchoredStart ? 'return NONE;\n' : 'if (stErr !== NONE) { st = stErr; stErr = NONE; }\npt = 0; r = NONE; st++;\n');
    return (
      '"use strict";\n' +
      'return function runAlternative(s, base, cap) {\n' +
      'const n = s.length - base;\n' +
      'let pt = 0, st = 0, r = 0, stErr = NONE, rep = false, c = 0;\n' +
      'let bt0p = NONE, bt0s = 0, bt1p = NONE, bt1s = 0, bt2p = NONE, bt2s = 0, bt3p = NONE, bt3s = 0;\n' +
      'for (;;) {\n' +
      'c = st < n ? s.charCodeAt(base + st) : 0;\n' +
      'if (c === 0) break;\n' +
      `switch (pt) {\n${cases}}\n` +
      failure +
      '}\n' +
      `return finish(P, pt, st, r, rep, ${this.captureMode}, cap);\n` +
      '};'
    );
  }
}

type Factory = (T: Uint32Array, P: Int32Array, NONE: number, finish: typeof finishAlternative) => AlternativeRunner;

/** The specialised runner of an alternative, or undefined when it is too long to be worth one. */
export function compileRunner(alt: Alternative, captureMode: boolean): AlternativeRunner | undefined {
  if (alt.cells.length > MAX_CELLS) return undefined;
  const source = new Generator(alt, captureMode).source();
  // The source is built from integer cells only: no text of the pattern is ever spliced into it.
  const factory = new Function('T', 'P', 'NONE', 'finish', source) as Factory;
  return factory(CLASS_TABLE, alt.cells, NONE, finishAlternative);
}

/** The generated source, for tests and diagnosis. */
export function runnerSource(alt: Alternative, captureMode: boolean): string {
  return new Generator(alt, captureMode).source();
}
