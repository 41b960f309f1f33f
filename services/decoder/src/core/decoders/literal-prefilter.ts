import { LiteralAutomaton } from './aho-corasick.ts';
import type { CompiledDecoder } from './decoder-types.ts';

/**
 * The literal prefilter of the top-level dispatch. decodeLog tries the top-level decoders in order until one's
 * prematch matches; lines without a syslog header (web access logs, JSON, appliance logs) go through ~100 of them,
 * each a scan of the line. Most prematches hold literals that every match must contain ("HTTP", "%ASA-", "time="):
 * one Aho–Corasick pass over the line tells which occur, and a decoder none of whose literals occurs is skipped.
 *
 * Skipping is exact: the prematch runs on the log from index 0 and has no side effect, and a match must hold one of
 * its literals (CapturingMatcher.necessaryLiterals), so a skipped prematch would have failed. The automaton looks at
 * the whole string, past a NUL character too, where C's string has ended: that can only let a decoder through,
 * never skip one.
 */

/**
 * A literal this short (one character) is used only when it is uncommon in logs (`%`, `|`, `{`...): a character
 * such as `:`, ` ` or `-` occurs in nearly every line, so it would cost a mark per occurrence and skip nothing.
 * A decoder with an alternative that has no usable literal is always tried.
 */
export const MIN_LITERAL_LENGTH = 2;
const COMMON_CHARACTER = /^[A-Za-z0-9 \t:\-.,/[\]"'=_()]$/;

/**
 * Candidate lists shorter than this are never prefiltered: a program name's few decoders (sshd, sudo...) cost less
 * to try than a pass over the line.
 */
export const PREFILTER_MIN_CANDIDATES = 16;

/**
 * The first candidates of a list are always tried, without the prefilter: a pass over the line costs about as much
 * as a few prematches (some 3 ns a character: 1 µs for a 300-character JSON line), and the first decoders of a list
 * own much of the traffic (Wazuh's list without program name starts with its own `wazuh` and the JSON decoders).
 */
export const PREFILTER_FROM = 4;

/**
 * The usable literals of a top-level decoder's prematch (ASCII lower case, deduplicated), one per alternative,
 * one of which occurs in any subject it matches; undefined when the decoder must always be tried (no prematch, or
 * an alternative without a usable literal).
 */
export function prefilterLiterals(d: CompiledDecoder): string[] | undefined {
  const alternatives = d.prematch?.necessaryLiterals();
  if (alternatives === undefined || alternatives.length === 0) return undefined;
  const out = new Set<string>();
  for (const literals of alternatives) {
    const best = bestLiteral(literals);
    if (best === undefined) return undefined;
    out.add(best.toLowerCase());
  }
  return [...out];
}

/**
 * The literal of an alternative the prefilter looks for: the longest (the rarest, as a rule), else an uncommon
 * character. A non-ASCII literal is cut to its longest ASCII piece (the automaton is ASCII): a piece of a
 * necessary literal is necessary too.
 */
function bestLiteral(literals: readonly string[]): string | undefined {
  let best = '';
  let uncommon: string | undefined;
  for (const lit of literals) {
    for (const piece of lit.split(/[^\x01-\x7f]+/)) {
      if (piece.length > best.length) best = piece;
      if (piece.length === 1 && uncommon === undefined && !COMMON_CHARACTER.test(piece)) uncommon = piece;
    }
  }
  return best.length >= MIN_LITERAL_LENGTH ? best : uncommon;
}

/** The literals of a whole top-level list, in one automaton, and which of them each decoder needs. */
export interface LiteralIndex {
  automaton: LiteralAutomaton;
  /** The ids (in `automaton`) of a decoder's literals; absent for a decoder that is always tried. */
  idsOf: Map<CompiledDecoder, Int32Array>;
}

/** Builds the index of a top-level list; undefined when no decoder of it can be prefiltered. */
export function buildLiteralIndex(decoders: readonly CompiledDecoder[]): LiteralIndex | undefined {
  const idOf = new Map<string, number>();
  const idsOf = new Map<CompiledDecoder, Int32Array>();
  for (const d of decoders) {
    const literals = prefilterLiterals(d);
    if (literals === undefined) continue;
    const ids = literals.map((lit) => {
      let id = idOf.get(lit);
      if (id === undefined) {
        id = idOf.size;
        idOf.set(lit, id);
      }
      return id;
    });
    idsOf.set(d, Int32Array.from(ids));
  }
  if (idsOf.size === 0) return undefined;
  return { automaton: LiteralAutomaton.build([...idOf.keys()]), idsOf };
}

/** A list of top-level candidates as decodeLog walks it, with the prefilter of each (parallel arrays). */
export interface Dispatch {
  decoders: readonly CompiledDecoder[];
  /** Per decoder, the literal ids one of which must occur for it to be tried; undefined: always tried. */
  literals: ReadonlyArray<Int32Array | undefined>;
  /** Undefined when nothing of the list is prefiltered (too short, or no decoder with literals). */
  automaton: LiteralAutomaton | undefined;
}

/** The dispatch of a candidate list drawn from the list `index` was built over. */
export function dispatchOf(decoders: readonly CompiledDecoder[], index: LiteralIndex | undefined): Dispatch {
  if (index === undefined || decoders.length < PREFILTER_MIN_CANDIDATES) {
    return { decoders, literals: decoders.map(() => undefined), automaton: undefined };
  }
  const literals = decoders.map((d, i) => (i < PREFILTER_FROM ? undefined : index.idsOf.get(d)));
  const any = literals.some((ids) => ids !== undefined);
  return { decoders, literals, automaton: any ? index.automaton : undefined };
}
