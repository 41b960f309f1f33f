import type { AgentState, HistoryEntry } from './correlation-state.ts';
import type { RuleInput } from './rule-input.ts';
import type { CompiledRule, ContextField, Correlation } from './rule-types.ts';

/** What one evaluation carries between rules: the event's stop marker and the lines of the last search. */
export interface MatchScratch {
  /** Wazuh's `matched` of the current event: the level of the last correlation rule that fired on it. */
  matched: number;
  /** The `full_log` of the events counted by the last successful search, newest first. */
  previous: string[] | undefined;
}

function lookup(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = fields[name];
  if (v !== undefined) return v;
  const lower = name.toLowerCase();
  for (const k in fields) if (k.toLowerCase() === lower) return fields[k];
  return undefined;
}

function contextValue(fields: Readonly<Record<string, string>>, location: string, f: ContextField): string | undefined {
  return f === 'location' ? location : fields[f];
}

function hasFields(fields: Readonly<Record<string, string>>): boolean {
  for (const _ in fields) return true;
  return false;
}

/** Whether an earlier event qualifies for the search of a rule (`same_*`, `different_*`, `same_field`...). */
function qualifies(c: Correlation, input: RuleInput, e: HistoryEntry): boolean {
  for (const f of c.same) {
    const a = contextValue(input.fields, input.location, f);
    const b = contextValue(e.fields, e.location, f);
    if (a === undefined || b === undefined || a !== b) return false;
  }
  for (const f of c.different) {
    const a = contextValue(input.fields, input.location, f);
    const b = contextValue(e.fields, e.location, f);
    if (a !== undefined && b !== undefined && a === b) return false;
  }
  if (c.sameFields.length > 0) {
    if (!hasFields(input.fields) || !hasFields(e.fields)) return false;
    for (const name of c.sameFields) {
      const a = lookup(input.fields, name);
      if (a === undefined) return false;
      const b = lookup(e.fields, name);
      if (b === undefined || a !== b) return false;
    }
  }
  if (c.differentFields.length > 0) {
    if (!hasFields(input.fields) && !hasFields(e.fields)) return false;
    for (const name of c.differentFields) {
      const a = lookup(input.fields, name);
      if (a === undefined) continue;
      const b = lookup(e.fields, name);
      if (b !== undefined && a === b) return false;
    }
  }
  return true;
}

/**
 * The correlation search of a rule (Wazuh's Search_LastSids / Search_LastGroups / Search_LastEvents): walks the
 * agent's history newest first, up to the first event older than the timeframe; an event already marked with a
 * level ≥ this rule's stops the search; the rule matches when `needed` events qualify. On a match the current
 * event and the newest counted event are marked with the rule's level, so each firing needs fresh events.
 */
export function searchHistory(rule: CompiledRule, c: Correlation, input: RuleInput, state: AgentState, scratch: MatchScratch): boolean {
  const list = c.sid !== undefined ? state.sidHistory.get(c.sid) : c.groupList !== undefined ? state.groupHistory.get(c.groupList) : state.history;
  if (!list || list.length === 0) return false;
  const regexMode = c.sid === undefined && c.groupList === undefined;
  let count = 0;
  let first: HistoryEntry | undefined;
  const lines: string[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const e = list[i] as HistoryEntry;
    if (input.now - e.time > c.timeframe) return false;
    if (regexMode) {
      if (e.decoderType !== input.decoderType) continue;
      if (c.regex && !c.regex.test(e.log)) continue;
    }
    if (!qualifies(c, input, e)) continue;
    if (e.matched >= rule.level) return false;
    if (!regexMode && count <= 10) lines.push(e.fullLog);
    if (count < c.needed - 1) {
      if (regexMode && count <= 10) lines.push(e.fullLog);
      count++;
      first ??= e;
      continue;
    }
    scratch.matched = rule.level;
    if (first) first.matched = rule.level;
    scratch.previous = lines;
    return true;
  }
  return false;
}
