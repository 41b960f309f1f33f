import type { EngineState } from './correlation-state.ts';
import type { HistoryList } from './history-list.ts';
import type { CompiledRuleset } from './rule-types.ts';

/** Whether a rule is the same in both rulesets: same id, same definition as read. */
function unchanged(previous: CompiledRuleset, next: CompiledRuleset, id: string): boolean {
  const before = previous.definitions.get(id);
  return before !== undefined && before === next.definitions.get(id);
}

function keepKeys<V>(map: Map<string, V>, keep: (id: string) => boolean): void {
  for (const id of [...map.keys()]) if (!keep(id)) map.delete(id);
}

/**
 * Carries the correlation state of a ruleset over to the ruleset replacing it (a reload): what belongs to a rule
 * whose id and definition did not change stays (times fired, `if_matched_sid` history, `ignore` timers,
 * `check_diff`), the rest is dropped; `if_matched_group` lists follow their pattern to their new index; the
 * global history (`if_matched_regex`) and `if_fts` keys stay, as they belong to no rule. Changes the state in place.
 */
export function carryCorrelationState(previous: CompiledRuleset, next: CompiledRuleset, state: EngineState): void {
  const keep = (id: string) => unchanged(previous, next, id);
  const groupMove = new Map<number, number>();
  const taken = new Set<number>();
  next.groupListKeys.forEach((key, j) => {
    const i = previous.groupListKeys.findIndex((k, n) => k === key && !taken.has(n));
    if (i !== -1) {
      taken.add(i);
      groupMove.set(i, j);
    }
  });
  for (const agent of state.agents.values()) {
    keepKeys(agent.firedtimes, keep);
    keepKeys(agent.sidHistory, keep);
    keepKeys(agent.ignoreUntil, keep);
    keepKeys(agent.lastLog, keep);
    const groups = new Map<number, HistoryList>();
    for (const [i, list] of agent.groupHistory) {
      const j = groupMove.get(i);
      if (j !== undefined) groups.set(j, list);
    }
    agent.groupHistory = groups;
  }
}
