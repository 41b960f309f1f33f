import { keyOf, type CorrelationKey } from './correlation-key.ts';

/** One event remembered for correlation. `matched` is Wazuh's per-event stop marker, shared by every list. */
export interface HistoryEntry {
  time: number;
  log: string;
  fullLog: string;
  decoderType: string;
  location: string;
  fields: Readonly<Record<string, string>>;
  matched: number;
  /**
   * The lists tracking marks (see HistoryList.trackMarks) that hold this entry, with its sequence number in each:
   * marking the entry tells them.
   */
  tracked?: Array<HistoryList | number>;
}

/** Marks an entry with a rule's level (Wazuh's/OSSEC's `matched`), telling the lists that track marks. */
export function markEntry(e: HistoryEntry, level: number): void {
  const was = e.matched;
  e.matched = level;
  const t = e.tracked;
  if (was > 0 || t === undefined) return; // a marked entry is already known to its lists
  for (let i = 0; i < t.length; i += 2) (t[i] as HistoryList).noteMark(t[i + 1] as number);
}

/** Wazuh's `memory_size`: how many events the global history keeps at most. */
export const HISTORY_LIMIT = 8192;

/**
 * The entries of a list sharing one key, oldest first, with their sequence numbers in the list. Entries leave from
 * the front (as the list drops its oldest), so `head` moves instead of shifting the arrays every time.
 */
export interface KeyBucket {
  readonly key: string;
  entries: HistoryEntry[];
  seqs: number[];
  head: number;
}

/** The entries of a list grouped by their key for one correlation key (one `same_*` signature). */
interface KeyIndex {
  readonly of: CorrelationKey;
  readonly buckets: Map<string, KeyBucket>;
  /** The bucket of each entry of the list (same positions), to remove it when the list drops it. */
  readonly bucketOf: Array<KeyBucket | undefined>;
}

/** Compact a bucket's arrays once this many removed entries are kept before `head` (and they are half of it). */
const COMPACT_AT = 64;

/**
 * A correlation history list (oldest first) with what makes its search cheap:
 * - sequence numbers (`dropped + position`), stable while the list drops its oldest entries;
 * - the starts of its runs of non-decreasing times: the clock may be the events' own time (replays), so times need
 *   not grow along the list; within a run the timeframe cut is a binary search;
 * - indexes by the key of the `same_*` fields of the rules searching it, built on the first search of a signature,
 *   so a search walks only the entries sharing the current event's key.
 */
export class HistoryList {
  /** The entries, oldest first. */
  readonly entries: HistoryEntry[] = [];
  /** How many entries the list has dropped: the sequence number of `entries[0]`. */
  private dropped = 0;
  /** Sequence numbers where an entry is older than the one before it (ascending): where a run of times starts. */
  private readonly descents: number[] = [];
  private readonly indexes = new Map<string, KeyIndex>();
  /** The same indexes, for the loop of every append. */
  private readonly indexList: KeyIndex[] = [];
  /** Whether the list knows its marked entries (`marks`), from the first search that needs them on. */
  private tracking = false;
  /** The sequence numbers of its entries marked with some level (`matched` > 0), ascending. */
  private readonly marks: number[] = [];

  get length(): number {
    return this.entries.length;
  }

  /** Whether times never decrease along the list (then the entries older than a timeframe are its oldest ones). */
  get monotonic(): boolean {
    return this.descents.length === 0;
  }

  /** Appends an entry, dropping entries older than `keepSeconds` (before the first that is not) and beyond `limit`. */
  remember(entry: HistoryEntry, keepSeconds: number, limit = HISTORY_LIMIT): void {
    const list = this.entries;
    const last = list[list.length - 1];
    if (last !== undefined && entry.time < last.time) this.descents.push(this.dropped + list.length);
    list.push(entry);
    for (let i = 0; i < this.indexList.length; i++) addTo(this.indexList[i] as KeyIndex, entry, this.dropped + list.length - 1);
    if (this.tracking) this.track(entry, this.dropped + list.length - 1);
    let drop = 0;
    const oldest = entry.time - keepSeconds;
    while (drop < list.length - 1 && (list[drop] as HistoryEntry).time < oldest) drop++;
    if (list.length - drop > limit) drop = list.length - limit;
    if (drop > 0) this.drop(drop);
  }

  private drop(n: number): void {
    this.entries.splice(0, n);
    this.dropped += n;
    if (this.marks.length > 0) {
      let old = 0;
      while (old < this.marks.length && (this.marks[old] as number) < this.dropped) old++;
      if (old > 0) this.marks.splice(0, old);
    }
    const d = this.descents;
    let stale = 0;
    while (stale < d.length && (d[stale] as number) <= this.dropped) stale++;
    if (stale > 0) d.splice(0, stale);
    for (const index of this.indexList) {
      for (let i = 0; i < n; i++) {
        const b = index.bucketOf[i];
        if (b === undefined) continue;
        // The list drops its oldest entries, so each is the oldest of its bucket.
        b.head++;
        if (b.head === b.entries.length) index.buckets.delete(b.key);
        else if (b.head >= COMPACT_AT && b.head * 2 >= b.entries.length) {
          b.entries.splice(0, b.head);
          b.seqs.splice(0, b.head);
          b.head = 0;
        }
      }
      index.bucketOf.splice(0, n);
    }
  }

  /**
   * The sequence number of the newest entry older than the timeframe (`now − time > timeframe`): where the search
   * stops. one less than the oldest entry's when there is none. Within a run of non-decreasing times the old entries are a prefix, so
   * each run costs one comparison, and the run holding the answer a binary search.
   */
  cut(now: number, timeframe: number): number {
    const list = this.entries;
    if (list.length === 0) return this.dropped - 1;
    const d = this.descents;
    let end = list.length; // exclusive end (position) of the run being looked at
    for (let r = d.length; r >= 0; r--) {
      const start = r > 0 ? (d[r - 1] as number) - this.dropped : 0;
      if (now - (list[start] as HistoryEntry).time > timeframe) {
        let lo = start; // old
        let hi = end; // first position known not old (or the run's end)
        while (hi - lo > 1) {
          const mid = (lo + hi) >>> 1;
          if (now - (list[mid] as HistoryEntry).time > timeframe) lo = mid;
          else hi = mid;
        }
        return this.dropped + lo;
      }
      end = start;
    }
    return this.dropped - 1;
  }

  /**
   * From now on, keeps the sequence numbers of the entries marked with a level (at append, or when markEntry marks
   * one), so `newestMark` finds the newest without walking the list. Idempotent.
   */
  trackMarks(): void {
    if (this.tracking) return;
    this.tracking = true;
    for (let i = 0; i < this.entries.length; i++) this.track(this.entries[i] as HistoryEntry, this.dropped + i);
  }

  private track(entry: HistoryEntry, seq: number): void {
    (entry.tracked ??= []).push(this, seq);
    if (entry.matched > 0) this.noteMark(seq);
  }

  /** Records that the entry at `seq` is marked (called by markEntry). */
  noteMark(seq: number): void {
    const m = this.marks;
    if (seq < this.dropped) return; // an entry this list has dropped already (marked through another list)
    if (m.length === 0 || (m[m.length - 1] as number) < seq) {
      m.push(seq);
      return;
    }
    let lo = 0;
    let hi = m.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((m[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    if (m[lo] !== seq) m.splice(lo, 0, seq);
  }

  /**
   * The sequence number of the newest entry after `after` marked with `level` or more, or `after` when there is
   * none (needs trackMarks).
   */
  newestMark(level: number, after: number): number {
    const m = this.marks;
    for (let i = m.length - 1; i >= 0; i--) {
      const seq = m[i] as number;
      if (seq <= after) return after;
      if ((this.entries[seq - this.dropped] as HistoryEntry).matched >= level) return seq;
    }
    return after;
  }

  /** The bucket of a key for a correlation key, indexing the list on the first use of that correlation key. */
  bucket(of: CorrelationKey, key: string): KeyBucket | undefined {
    let index = this.indexes.get(of.signature);
    if (index === undefined) {
      index = { of, buckets: new Map(), bucketOf: [] };
      for (let i = 0; i < this.entries.length; i++) addTo(index, this.entries[i] as HistoryEntry, this.dropped + i);
      this.indexes.set(of.signature, index);
      this.indexList.push(index);
    }
    return index.buckets.get(key);
  }
}

function addTo(index: KeyIndex, entry: HistoryEntry, seq: number): void {
  const key = keyOf(index.of, entry);
  if (key === undefined) {
    index.bucketOf.push(undefined);
    return;
  }
  let b = index.buckets.get(key);
  if (b === undefined) index.buckets.set(key, (b = { key, entries: [], seqs: [], head: 0 }));
  b.entries.push(entry);
  b.seqs.push(seq);
  index.bucketOf.push(b);
}
