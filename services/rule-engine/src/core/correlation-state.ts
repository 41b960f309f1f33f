/**
 * Correlation state, kept per agent (Wazuh correlates per agent unless `global_frequency`), in memory: the
 * engine that owns an agent's events owns its state, so the same events give the same alerts whatever the number
 * of workers or replicas.
 */

import { HistoryList } from './history-list.ts';

export { HISTORY_LIMIT, HistoryList, type HistoryEntry } from './history-list.ts';

export interface AgentState {
  /** Times each rule fired for this agent (`rule.firedtimes`). */
  firedtimes: Map<string, number>;
  /** Events by the id of their final rule, for `if_matched_sid` (oldest first). */
  sidHistory: Map<string, HistoryList>;
  /** Events by `if_matched_group` list (oldest first). */
  groupHistory: Map<number, HistoryList>;
  /** Every event that reached the history step, for `if_matched_regex` (oldest first). */
  history: HistoryList;
  /** `ignore="N"`: when each rule last fired (seconds). */
  ignoreUntil: Map<string, number>;
  /** `check_diff`: the last log per rule. */
  lastLog: Map<string, string>;
  /** `if_fts`: first-time-seen keys. */
  ftsSeen: Set<string>;
  /** Search by walking whole lists, without their indexes: the reference behaviour, for differential tests. */
  linearSearch: boolean;
}

export function newAgentState(linearSearch = false): AgentState {
  return {
    linearSearch,
    firedtimes: new Map(),
    sidHistory: new Map(),
    groupHistory: new Map(),
    history: new HistoryList(),
    ignoreUntil: new Map(),
    lastLog: new Map(),
    ftsSeen: new Set(),
  };
}

/** The correlation state of a set of agents (a partition, a worker's shard, a logtest session). */
export interface EngineState {
  agents: Map<string, AgentState>;
  /** See AgentState.linearSearch. */
  linearSearch?: boolean;
}

export function newEngineState(options: { linearSearch?: boolean } = {}): EngineState {
  return { agents: new Map(), linearSearch: options.linearSearch ?? false };
}

export function agentStateOf(state: EngineState, agent: string): AgentState {
  let s = state.agents.get(agent);
  if (!s) {
    s = newAgentState(state.linearSearch ?? false);
    state.agents.set(agent, s);
  }
  return s;
}
