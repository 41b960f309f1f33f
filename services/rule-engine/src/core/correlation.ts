import type { AgentState } from './correlation-state.ts';
import { correlationKeyOf, keyOf, lookupField, type CorrelationKey } from './correlation-key.ts';
import { markEntry, type HistoryEntry, type HistoryList } from './history-list.ts';
import type { RuleInput } from './rule-input.ts';
import type { CompiledRule, ContextField, Correlation } from './rule-types.ts';

/** What one evaluation carries between rules: the event's stop marker and the lines of the last search. */
export interface MatchScratch {
  /** Wazuh's `matched` of the current event: the level of the last correlation rule that fired on it. */
  matched: number;
  /** The `full_log` of the events counted by the last successful search, newest first. */
  previous: string[] | undefined;
}

function hasFields(fields: Readonly<Record<string, string>>): boolean {
  for (const _ in fields) return true;
  return false;
}

/** Whether `qualifies` reads whether the current event has fields (only `same_field` / `different_field` do). */
function needsHasFields(c: Correlation): boolean {
  return c.sameFields.length > 0 || c.differentFields.length > 0;
}

/**
 * Whether an earlier event qualifies for the search of a rule (`same_*`, `different_*`, `same_field`...).
 * `inputHasFields` is computed once per search, not per entry.
 */
function qualifies(c: Correlation, input: RuleInput, inputHasFields: boolean, e: HistoryEntry): boolean {
  const same = c.same;
  for (let i = 0; i < same.length; i++) {
    const f = same[i] as ContextField;
    const a = f === 'location' ? input.location : input.fields[f];
    const b = f === 'location' ? e.location : e.fields[f];
    if (a === undefined || b === undefined || a !== b) return false;
  }
  const different = c.different;
  for (let i = 0; i < different.length; i++) {
    const f = different[i] as ContextField;
    const a = f === 'location' ? input.location : input.fields[f];
    const b = f === 'location' ? e.location : e.fields[f];
    if (a !== undefined && b !== undefined && a === b) return false;
  }
  if (c.sameFields.length > 0) {
    if (!inputHasFields || !hasFields(e.fields)) return false;
    for (const name of c.sameFields) {
      const a = lookupField(input.fields, name);
      if (a === undefined) return false;
      const b = lookupField(e.fields, name);
      if (b === undefined || a !== b) return false;
    }
  }
  if (c.differentFields.length > 0) {
    if (!inputHasFields && !hasFields(e.fields)) return false;
    for (const name of c.differentFields) {
      const a = lookupField(input.fields, name);
      if (a === undefined) continue;
      const b = lookupField(e.fields, name);
      if (b !== undefined && a === b) return false;
    }
  }
  return true;
}

/** Wazuh keeps the lines of the first 11 counted events (`previous_output`). */
const MAX_LINES = 11;

// The walk of one search, kept in module state so that a search allocates nothing unless it matches (searches do
// not nest: a search runs to its end before the next one starts).
/** The first qualifying entries of the current walk, newest first (only the first MAX_LINES are kept). */
const counted: HistoryEntry[] = [];
/** How many qualifying entries the current walk has counted (the one that completes `needed` is not). */
let count = 0;

const SKIP = 0;
const STOP = 1;
const MATCH = 2;

/** One entry of the walk: skipped (does not qualify, or counted short of `needed`), the end of the search, or the match. */
function step(rule: CompiledRule, c: Correlation, input: RuleInput, inputHasFields: boolean, regexMode: boolean, e: HistoryEntry): number {
  // OSSEC looks at the mark before anything else about the event; Wazuh only at the events that qualify.
  if (c.ossec === true && e.matched >= rule.level) return STOP;
  if (regexMode) {
    if (e.decoderType !== input.decoderType) return SKIP;
    if (c.regex && !c.regex.test(e.log)) return SKIP;
  }
  if (!qualifies(c, input, inputHasFields, e)) return SKIP;
  if (e.matched >= rule.level) return STOP;
  if (count < MAX_LINES) counted[count] = e;
  if (count < c.needed - 1) {
    count++;
    return SKIP;
  }
  return MATCH;
}

/**
 * A match: the current event and the newest counted event are marked with the rule's level. The lines are those of
 * the counted events, the matching one included for sid/group searches (Wazuh's Search_LastSids/Groups) and not for
 * the regex search (Search_LastEvents).
 */
function matched(rule: CompiledRule, regexMode: boolean, scratch: MatchScratch): true {
  const n = Math.min(regexMode ? count : count + 1, MAX_LINES);
  const lines = new Array<string>(n);
  for (let i = 0; i < n; i++) lines[i] = (counted[i] as HistoryEntry).fullLog;
  scratch.matched = rule.level;
  if (count > 0) markEntry(counted[0] as HistoryEntry, rule.level);
  scratch.previous = lines;
  return true;
}

/**
 * A match under OSSEC's semantics: the current event, the event that completed the count and the newest event of
 * the list (whether it qualified or not) are marked with the rule's level; the lines are those of the counted
 * events, the completing one included only by the sid search (OSSEC's Search_LastSids records it, the group and
 * regex searches do not).
 */
function matchedOssec(rule: CompiledRule, c: Correlation, newest: HistoryEntry, completing: HistoryEntry, scratch: MatchScratch): true {
  const withCompleting = c.sid !== undefined;
  if (withCompleting && count < MAX_LINES) counted[count] = completing;
  const n = Math.min(withCompleting ? count + 1 : count, MAX_LINES);
  const lines = new Array<string>(n);
  for (let i = 0; i < n; i++) lines[i] = (counted[i] as HistoryEntry).fullLog;
  scratch.matched = rule.level;
  markEntry(completing, rule.level);
  markEntry(newest, rule.level);
  scratch.previous = lines;
  return true;
}

/**
 * Walks `entries` newest first down to position `stop` (excluded), up to the first entry older than the timeframe:
 * the whole list (`stop` −1), or the bucket of the current event's key. `newest` is the newest entry of the whole
 * list (OSSEC marks it on a match).
 */
function walkEntries(rule: CompiledRule, c: Correlation, input: RuleInput, entries: readonly HistoryEntry[], stop: number, regexMode: boolean, scratch: MatchScratch, newest: HistoryEntry): boolean {
  const inputHasFields = needsHasFields(c) && hasFields(input.fields);
  for (let i = entries.length - 1; i > stop; i--) {
    const e = entries[i] as HistoryEntry;
    if (input.now - e.time > c.timeframe) return false;
    const s = step(rule, c, input, inputHasFields, regexMode, e);
    if (s === SKIP) continue;
    if (s === STOP) return false;
    return c.ossec === true ? matchedOssec(rule, c, newest, e, scratch) : matched(rule, regexMode, scratch);
  }
  return false;
}

/**
 * Walks only the entries sharing the current event's key, newest first, down to the entry where the whole list's
 * walk would stop (the newest entry older than the timeframe, of any key). The entries of other keys are those the
 * whole walk would skip, so the outcome is the same.
 */
function walkBucket(rule: CompiledRule, c: Correlation, k: CorrelationKey, input: RuleInput, list: HistoryList, regexMode: boolean, scratch: MatchScratch): boolean {
  const key = keyOf(k, input);
  if (key === undefined) return false; // no entry can share a missing value
  const b = list.bucket(k, key);
  if (b === undefined) return false;
  const entries = b.entries;
  const newest = list.entries[list.length - 1] as HistoryEntry;
  if (c.ossec === true) {
    // OSSEC's walk of the whole list ends at the first event older than the timeframe, or at the first marked with
    // this level or more, whatever its key: the bucket is walked down to the newer of the two.
    list.trackMarks();
    const end = list.newestMark(rule.level, list.cut(input.now, c.timeframe));
    const seqs = b.seqs;
    let stop = b.head - 1;
    let after = entries.length;
    while (after - stop > 1) {
      const mid = (stop + after) >>> 1;
      if ((seqs[mid] as number) <= end) stop = mid;
      else after = mid;
    }
    return walkEntries(rule, c, input, entries, stop, regexMode, scratch, newest);
  }
  // Positions of the bucket at or below `stop` are at or beyond the cut. With times growing along the list, the
  // entries older than the timeframe are its oldest ones, so checking each candidate's time finds the cut; otherwise
  // the cut is found on the whole list and located in the bucket.
  let stop = b.head - 1;
  if (!list.monotonic) {
    const cut = list.cut(input.now, c.timeframe);
    const seqs = b.seqs;
    let after = entries.length; // the first position known to be after the cut
    while (after - stop > 1) {
      const mid = (stop + after) >>> 1;
      if ((seqs[mid] as number) <= cut) stop = mid;
      else after = mid;
    }
  }
  return walkEntries(rule, c, input, entries, stop, regexMode, scratch, newest);
}

/** The search key of a correlation, computed on its first search (`null`: it has none). */
function searchKeyOf(c: Correlation): CorrelationKey | null {
  let k = c.searchKey;
  if (k === undefined) c.searchKey = k = correlationKeyOf(c) ?? null;
  return k;
}

/**
 * The correlation search of a rule (Wazuh's Search_LastSids / Search_LastGroups / Search_LastEvents): walks the
 * agent's history newest first, up to the first event older than the timeframe; an event already marked with a
 * level ≥ this rule's stops the search; the rule matches when `needed` events qualify. On a match the current
 * event and the newest counted event are marked with the rule's level, so each firing needs fresh events.
 * Entries that cannot share the `same_*` values are skipped through the list's index (see walkBucket), unless the
 * state asks for the plain walk (the reference the indexed one is tested against).
 */
export function searchHistory(rule: CompiledRule, c: Correlation, input: RuleInput, state: AgentState, scratch: MatchScratch): boolean {
  const list = c.sid !== undefined ? state.sidHistory.get(c.sid) : c.groupList !== undefined ? state.groupHistory.get(c.groupList) : state.history;
  if (!list || list.length === 0) return false;
  const regexMode = c.sid === undefined && c.groupList === undefined;
  count = 0;
  const k = state.linearSearch ? null : searchKeyOf(c);
  const entries = list.entries;
  return k === null ? walkEntries(rule, c, input, entries, -1, regexMode, scratch, entries[entries.length - 1] as HistoryEntry) : walkBucket(rule, c, k, input, list, regexMode, scratch);
}
