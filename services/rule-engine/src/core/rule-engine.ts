import type { Alert, DecodedEvent } from '@vigil/common';
import { buildAlert } from './build-alert.ts';
import { matchRules } from './match-rules.ts';
import type { RuleTree } from './rule-types.ts';

/** Correlation state of one partition: counters per agent and rule. Plain data, owned by one consumer. */
export interface EngineState {
  firedtimes: Map<string, number>;
}

export function newEngineState(): EngineState {
  return { firedtimes: new Map() };
}

export interface Evaluation {
  ruleId?: string;
  level?: number;
  /** Present when the matched rule's level is above 0 and it is not `noalert`. */
  alert?: Alert;
}

/** Evaluates one event against the rule tree, updating the partition's state. */
export function evaluateEvent(tree: RuleTree, state: EngineState, event: DecodedEvent, managerName: string): Evaluation {
  const rule = matchRules(tree, event);
  if (!rule) return {};
  if (rule.level === 0) return { ruleId: rule.id, level: 0 };
  const key = `${event.agent.id}\u0000${rule.id}`;
  const fired = (state.firedtimes.get(key) ?? 0) + 1;
  state.firedtimes.set(key, fired);
  return { ruleId: rule.id, level: rule.level, alert: buildAlert(rule, event, fired, managerName) };
}
