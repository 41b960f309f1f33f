/**
 * A necessary condition for a PCRE2 pattern to match, checked with V8's fast backtracking engine before the
 * linear-time engine runs (that engine is some 50 times slower: 230 µs on a 600-character line for a Wazuh
 * decoder's prematch, most of PCRE2's cost on long lines; see pcre2.ts for why it runs there).
 *
 * Any match of `a\d+:\d+ (\S+)` holds `a` followed by a digit, a digit then `:` then a digit, and a digit then a
 * space: a run of single-character items with at least one iteration at each end is present, character for
 * character, in every match. Each such run (a "segment") is a fixed-length pattern without quantifier, which the
 * backtracking engine scans in time linear in the subject. When one segment of every top-level alternative is
 * missing from the subject, the pattern cannot match: the answer is known without the slow engine. When all are
 * present the pattern is matched as before, so the prefilter never changes a result.
 */

/** A run of single-character items every match holds: a fixed-length pattern (one code unit per item). */
interface Segment {
  /** Global, or sticky when the alternative is anchored by `^` right before it. */
  re: RegExp;
  /**
   * How far back the next segment may start from this one's end: 1 when a quantified item joins them (its first
   * repetition ends this one, its last starts the next, and they may be the same character), else 0.
   */
  overlap: number;
}

export interface Prefilter {
  /** False only when the pattern cannot match `subject` from `from` (the subject seen as starting there). */
  mayMatch(subject: string, from: number): boolean;
}

/** One parsed item of a translated source: a single-character atom (its source) or anything else (a barrier). */
interface Item {
  /** The source of a single-character atom; undefined for a group, an assertion or an anchor. */
  char: string | undefined;
  /** A `^`. */
  start?: boolean;
  /** Minimum repetitions (1 without a quantifier). */
  min: number;
  /** Whether the quantifier allows a single repetition only (no quantifier, `{1}`). */
  once: boolean;
}

/** The end (exclusive) of the class starting at `i` (`source[i] === '['`). */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The end (exclusive) of the group starting at `i` (`source[i] === '('`). */
function groupEnd(source: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < source.length) {
    const c = source[j];
    if (c === '\\') j += 2;
    else if (c === '[') j = classEnd(source, j);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
      j++;
    }
  }
  return j;
}

/** The end (exclusive) of the escape at `i` (`source[i] === '\\'`) outside a class. */
function escapeEnd(source: string, i: number): number {
  const c = source[i + 1];
  if (c === 'u') return i + 6;
  if (c === 'x') return i + 4;
  return i + 2;
}

/** Splits a translated source into top-level alternatives of items; undefined when it is not understood. */
function parse(source: string): Item[][] | undefined {
  const branches: Item[][] = [[]];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let char: string | undefined;
    let end: number;
    if (c === '|') {
      branches.push([]);
      i++;
      continue;
    }
    if (c === '[') {
      end = classEnd(source, i);
      char = source.slice(i, end);
    } else if (c === '(') {
      end = groupEnd(source, i);
    } else if (c === '\\') {
      end = escapeEnd(source, i);
      const e = source[i + 1];
      // \b and \B are assertions; a back reference or \k cannot occur in a linear source, but stay a barrier.
      if (e !== 'b' && e !== 'B' && e !== 'k' && !(e !== undefined && e >= '1' && e <= '9')) char = source.slice(i, end);
    } else if (c === '^' || c === '$') {
      end = i + 1;
      if (c === '^') {
        // A quantified anchor is not worth understanding.
        if (/^[*+?{]/.test(source.slice(end, end + 1))) return undefined;
        (branches[branches.length - 1] as Item[]).push({ char: undefined, start: true, min: 1, once: true });
        i = end;
        continue;
      }
    } else if (c === ')' || c === '*' || c === '+' || c === '?' || c === '{' || c === ']') {
      return undefined;
    } else {
      end = i + 1;
      char = c;
    }
    i = end;
    let min = 1;
    let once = true;
    const q = /^(?:([*+?])|\{(\d+)(,\d*)?\})\??/.exec(source.slice(i, i + 24));
    if (q) {
      i += q[0].length;
      if (q[1] !== undefined) {
        min = q[1] === '+' ? 1 : 0;
        once = false;
      } else {
        min = Number(q[2]);
        once = min === 1 && (q[3] === undefined || q[3] === ',1');
      }
    }
    (branches[branches.length - 1] as Item[]).push({ char, min, once });
  }
  return branches;
}

interface SegmentSource {
  source: string;
  anchored: boolean;
  overlap: number;
}

/** The segments of one alternative, in order. */
function segmentsOf(items: Item[]): SegmentSource[] {
  const segments: SegmentSource[] = [];
  let current = '';
  // Only the first item's `^` anchors (a later one, possible with (?m) only in a non-linear source, is a barrier).
  let anchored = items[0]?.start === true;
  const close = (overlap: number) => {
    if (current !== '') segments.push({ source: current, anchored, overlap });
    current = '';
    anchored = false;
  };
  items.forEach((item, k) => {
    if (item.char === undefined || item.min === 0) {
      if (!(k === 0 && item.start === true)) close(0);
      return;
    }
    // Its first repetition follows what precedes; its last one precedes what follows.
    current += item.char;
    if (!item.once) {
      close(1);
      current = item.char;
    }
  });
  close(0);
  return segments;
}

/**
 * Builds the prefilter of a source translated for the linear-time engine (`translatePcre2(p, { linear: true })`):
 * undefined when it is not understood or some alternative requires nothing.
 */
export function buildPrefilter(linearSource: string): Prefilter | undefined {
  const parsed = parse(linearSource);
  if (parsed === undefined) return undefined;
  const branches: Segment[][] = [];
  for (const items of parsed) {
    const segments = segmentsOf(items);
    if (segments.length === 0) return undefined;
    try {
      branches.push(segments.map((s) => ({ re: new RegExp(s.source, s.anchored ? 'y' : 'g'), overlap: s.overlap })));
    } catch {
      return undefined;
    }
  }
  return {
    mayMatch(subject: string, from: number): boolean {
      for (const branch of branches) if (branchMayMatch(branch, subject, from)) return true;
      return false;
    },
  };
}

/**
 * Whether the segments occur in order. Searching each from where the leftmost occurrence of the previous one ends
 * is sound: a match's own occurrences are at or after those leftmost ones. Segments have no anchor or lookbehind,
 * so searching from `from` sees what the engine sees.
 */
function branchMayMatch(branch: Segment[], subject: string, from: number): boolean {
  let pos = from;
  for (const seg of branch) {
    seg.re.lastIndex = pos;
    if (!seg.re.test(subject)) return false;
    pos = seg.re.lastIndex - seg.overlap;
  }
  return true;
}

/** The character a single-character atom's source stands for when it is a plain literal, else undefined. */
function literalOf(char: string): string | undefined {
  if (char.length === 1) return /[.^$|()[\]{}*+?\\]/.test(char) ? undefined : char;
  // An escaped ASCII punctuation character is itself (`\.`, `\/`, `\-`); letters and digits escape classes.
  if (char.length === 2 && char[0] === '\\' && /[!-/:-@[-`{-~]/.test(char[1] as string)) return char[1];
  return undefined;
}

/**
 * Per top-level alternative of a source translated for the linear-time engine, the runs of plain literal
 * characters every match of that alternative holds (exactly: case-sensitively), longest first; undefined when the
 * source is not understood or some alternative holds no literal. Same reasoning as the segments above, with only
 * literal characters: a quantified literal with a minimum of one ends a run and starts the next.
 */
export function necessaryLiterals(linearSource: string): string[][] | undefined {
  const parsed = parse(linearSource);
  if (parsed === undefined) return undefined;
  const out: string[][] = [];
  for (const items of parsed) {
    const runs = new Set<string>();
    let current = '';
    const close = () => {
      if (current !== '') runs.add(current);
      current = '';
    };
    for (const item of items) {
      const lit = item.char === undefined || item.min === 0 ? undefined : literalOf(item.char);
      if (lit === undefined) {
        close();
        continue;
      }
      current += lit;
      if (!item.once) {
        close();
        current = lit;
      }
    }
    close();
    if (runs.size === 0) return undefined;
    out.push([...runs].sort((a, b) => b.length - a.length));
  }
  return out;
}
