/**
 * Correlation state, kept per agent (Wazuh correlates per agent unless `global_frequency`), as plain data: the
 * engine that owns an agent's events owns its state, so the same events give the same alerts whatever the number
 * of workers or replicas.
 */

/** One event remembered for correlation. `matched` is Wazuh's per-event stop marker, shared by every list. */
export interface HistoryEntry {
  time: number;
  log: string;
  fullLog: string;
  decoderType: string;
  location: string;
  fields: Readonly<Record<string, string>>;
  matched: number;
}

export interface AgentState {
  /** Times each rule fired for this agent (`rule.firedtimes`). */
  firedtimes: Map<string, number>;
  /** Events by the id of their final rule, for `if_matched_sid` (oldest first). */
  sidHistory: Map<string, HistoryEntry[]>;
  /** Events by `if_matched_group` list (oldest first). */
  groupHistory: Map<number, HistoryEntry[]>;
  /** Every event that reached the history step, for `if_matched_regex` (oldest first). */
  history: HistoryEntry[];
  /** `ignore="N"`: when each rule last fired (seconds). */
  ignoreUntil: Map<string, number>;
  /** `check_diff`: the last log per rule. */
  lastLog: Map<string, string>;
  /** `if_fts`: first-time-seen keys. */
  ftsSeen: Set<string>;
}

export function newAgentState(): AgentState {
  return {
    firedtimes: new Map(),
    sidHistory: new Map(),
    groupHistory: new Map(),
    history: [],
    ignoreUntil: new Map(),
    lastLog: new Map(),
    ftsSeen: new Set(),
  };
}

/** The correlation state of a set of agents (a partition, a worker's shard, a logtest session). */
export interface EngineState {
  agents: Map<string, AgentState>;
}

export function newEngineState(): EngineState {
  return { agents: new Map() };
}

export function agentStateOf(state: EngineState, agent: string): AgentState {
  let s = state.agents.get(agent);
  if (!s) {
    s = newAgentState();
    state.agents.set(agent, s);
  }
  return s;
}

/** Wazuh's `memory_size`: how many events the global history keeps at most. */
export const HISTORY_LIMIT = 8192;

/** Appends an entry to a list, dropping entries older than `keepSeconds` and beyond `limit`. */
export function remember(list: HistoryEntry[], entry: HistoryEntry, keepSeconds: number, limit = HISTORY_LIMIT): void {
  list.push(entry);
  let drop = 0;
  const oldest = entry.time - keepSeconds;
  while (drop < list.length - 1 && (list[drop] as HistoryEntry).time < oldest) drop++;
  if (list.length - drop > limit) drop = list.length - limit;
  if (drop > 0) list.splice(0, drop);
}
