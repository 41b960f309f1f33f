/**
 * An Aho–Corasick automaton over ASCII literals, compared ASCII case-insensitively: one pass over a subject marks
 * which literals occur in it. decode-log uses it to skip the top-level decoders whose prematch literals are all
 * absent (see literal-prefilter.ts).
 *
 * The automaton is a full DFA (failure links folded into the transition table), so the scan costs one table look-up
 * per character. Characters are mapped to a small alphabet: each ASCII character used by some literal gets a
 * column, upper-case letters share their lower-case letter's column (the folding happens there, on char codes, with
 * no lowered copy of the subject), and every other code unit (non-ASCII included) goes to column 0, which no
 * literal uses.
 */
export class LiteralAutomaton {
  /** How many literals (ids 0..count-1, in the order given to `build`). */
  readonly count: number;
  /** ASCII code → column; 0 for characters that no literal holds. */
  private readonly column: Uint8Array;
  private readonly width: number;
  /**
   * Transitions, by row (`state * width`, so that no multiplication is needed per character): the row after reading
   * a character of column `col` in row `row` is `next[row + col]`, bitwise negated (`~row`, negative) when the
   * state reached ends some literal, so that the scan tests one sign instead of loading the output table.
   */
  private readonly next: Int32Array;
  /** Per state, where its literals start in `outIds` (the literals ending there, via failure links included). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** `seen[id] === epoch` when literal `id` occurred in the last subject scanned. */
  private readonly seen: Uint32Array;
  private epoch = 0;

  private constructor(count: number, column: Uint8Array, width: number, next: Int32Array, outStart: Int32Array, outIds: Int32Array) {
    this.count = count;
    this.column = column;
    this.width = width;
    this.next = next;
    this.outStart = outStart;
    this.outIds = outIds;
    this.seen = new Uint32Array(count);
  }

  /** Builds the automaton of non-empty ASCII literals (throws otherwise); a literal's id is its index. */
  static build(literals: readonly string[]): LiteralAutomaton {
    const column = new Uint8Array(128);
    let width = 1;
    for (const lit of literals) {
      if (lit === '') throw new Error('LiteralAutomaton: empty literal');
      for (let i = 0; i < lit.length; i++) {
        const c = fold(lit.charCodeAt(i));
        if (c > 127) throw new Error(`LiteralAutomaton: non-ASCII literal ${JSON.stringify(lit)}`);
        if (column[c] === 0) {
          if (width === 256) throw new Error('LiteralAutomaton: too many distinct characters');
          column[c] = width++;
        }
      }
    }
    for (let c = 65; c <= 90; c++) column[c] = column[c + 32] as number;

    // The trie, as a growable list of sparse rows; state 0 is the root.
    const goto: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const col = column[fold(lit.charCodeAt(i))] as number;
        let t = (goto[s] as Map<number, number>).get(col);
        if (t === undefined) {
          t = goto.length;
          goto.push(new Map());
          ends.push([]);
          (goto[s] as Map<number, number>).set(col, t);
        }
        s = t;
      }
      (ends[s] as number[]).push(id);
    });

    // Breadth-first: each state's missing transitions are those of its failure state, already complete.
    const states = goto.length;
    const next = new Int32Array(states * width);
    const fail = new Int32Array(states);
    const out: number[][] = ends.map((e) => [...e]);
    const queue: number[] = [];
    for (const [col, t] of goto[0] as Map<number, number>) {
      next[col] = t;
      queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      const f = fail[s] as number;
      // The literals ending at the failure state end here as well (it is processed first: it is shallower).
      for (const id of out[f] as number[]) (out[s] as number[]).push(id);
      for (let col = 0; col < width; col++) {
        const t = (goto[s] as Map<number, number>).get(col);
        if (t === undefined) {
          next[s * width + col] = next[f * width + col] as number;
        } else {
          next[s * width + col] = t;
          fail[t] = next[f * width + col] as number;
          queue.push(t);
        }
      }
    }
    const outStart = new Int32Array(states + 1);
    const ids: number[] = [];
    for (let s = 0; s < states; s++) {
      outStart[s] = ids.length;
      for (const id of new Set(out[s])) ids.push(id);
    }
    outStart[states] = ids.length;
    for (let k = 0; k < next.length; k++) {
      const t = next[k] as number;
      next[k] = (outStart[t + 1] as number) > (outStart[t] as number) ? ~(t * width) : t * width;
    }
    return new LiteralAutomaton(literals.length, column, width, next, outStart, Int32Array.from(ids));
  }

  /** How many states the automaton has (for tests and sizing). */
  get stateCount(): number {
    return this.outStart.length - 1;
  }

  /** Marks which literals occur in `subject` (forgetting the previous subject's). Allocates nothing. */
  scan(subject: string): void {
    let epoch = this.epoch + 1;
    if (epoch > 0xffffffff) {
      this.seen.fill(0);
      epoch = 1;
    }
    this.epoch = epoch;
    const column = this.column;
    const next = this.next;
    const n = subject.length;
    let row = 0;
    for (let i = 0; i < n; i++) {
      const c = subject.charCodeAt(i);
      const v = next[row + (c < 128 ? (column[c] as number) : 0)] as number;
      if (v >= 0) row = v;
      else {
        row = ~v;
        this.mark(row, epoch);
      }
    }
  }

  /** Marks the literals that end in the state of `row` (reached from a transition flagged as reporting). */
  private mark(row: number, epoch: number): void {
    const s = (row / this.width) | 0;
    const end = this.outStart[s + 1] as number;
    for (let o = this.outStart[s] as number; o < end; o++) this.seen[this.outIds[o] as number] = epoch;
  }

  /** Whether literal `id` occurred in the last subject scanned. */
  has(id: number): boolean {
    return this.seen[id] === this.epoch;
  }

  /** Whether any of the literals `ids` occurred in the last subject scanned. */
  hasAny(ids: Int32Array): boolean {
    const seen = this.seen;
    const epoch = this.epoch;
    for (let i = 0; i < ids.length; i++) if (seen[ids[i] as number] === epoch) return true;
    return false;
  }
}

/** ASCII lower case of a char code; other code units unchanged. */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
