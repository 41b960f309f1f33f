import type { Alert, DecodedEvent } from '@vigil/common';
import { alertRule, buildAlert } from './build-alert.ts';
import { agentStateOf, HistoryList, type EngineState, type HistoryEntry } from './correlation-state.ts';
import type { MatchScratch } from './correlation.ts';
import { matchRules } from './match-rules.ts';
import { ruleInputOf } from './rule-input.ts';
import type { CompiledRule, CompiledRuleset } from './rule-types.ts';

export { newEngineState, type EngineState } from './correlation-state.ts';

export interface EvaluateOptions {
  managerName: string;
  /**
   * The clock of the evaluation in ms since the epoch. Correlation windows, `ignore`, `<time>` and `<weekday>`
   * count on it: processing time as Wazuh does, or the event's own time for replays (see `eventClock`).
   */
  now: number;
  /** Wazuh's `log_alert_level`: alerts are produced from this level on (default 3, as Wazuh ships it). */
  alertLevel?: number;
  /**
   * What a rule within its `ignore` window does: report the parent (Wazuh's analysisd; the default, or `drop` for a
   * ruleset compiled with OSSEC's semantics, as OSSEC's analysisd drops the event), nothing (wazuh-logtest), or
   * itself without an alert and without entering any history (ossec-logtest, which prints it, then drops the event;
   * its window, once over, is cleared rather than restarted, so the next matching event starts a new one).
   */
  ignoreMode?: 'parent' | 'drop' | 'report';
  /** GeoIP lookup (`CC / Region` of an address) for srcgeoip/dstgeoip, when a GeoLite2 database is configured. */
  geoLookup?: (ip: string) => string | undefined;
}

/** The outcome of one event. */
export interface Evaluation {
  /** The final rule, when one matched (level 0 included). */
  rule?: CompiledRule;
  ruleId?: string;
  level?: number;
  firedtimes?: number;
  /** The `rule` object of the alert JSON (also for rules that do not alert). */
  ruleOutput?: Alert['rule'];
  /** Present when the rule's level is at least the alert level and it is not `no_log`. */
  alert?: Alert;
}

/** The event's own time in ms (its collection time): the clock for replays. */
export function eventClock(event: DecodedEvent): number {
  return Date.parse(event.collectedAt);
}

const NO_MATCH: Evaluation = Object.freeze({});

/**
 * Evaluates one event against the compiled ruleset, updating the correlation state of its agent. Pure apart from
 * that state: the same state and events in the same order give the same evaluations.
 */
export function evaluateEvent(ruleset: CompiledRuleset, state: EngineState, event: DecodedEvent, options: EvaluateOptions): Evaluation {
  const input = ruleInputOf(event, options.now, options.geoLookup);
  const agent = agentStateOf(state, event.agent.id);
  const scratch: MatchScratch = { matched: 0, previous: undefined };
  const found = matchRules(ruleset, input, agent, scratch);
  if (!found) return NO_MATCH;
  let rule = found.rule;
  const fired = (agent.firedtimes.get(rule.id) ?? 0) + 1;
  agent.firedtimes.set(rule.id, fired);
  let firedtimes = fired;
  if (rule.level === 0) return { rule, ruleId: rule.id, level: 0, firedtimes, ruleOutput: alertRule(rule, input, firedtimes) };
  if (rule.ignoreSeconds > 0) {
    const ignoreMode = options.ignoreMode ?? (ruleset.semantics === 'ossec' ? 'drop' : 'parent');
    const last = agent.ignoreUntil.get(rule.id);
    if (last !== undefined && input.now - last < rule.ignoreSeconds) {
      if (ignoreMode === 'report') return { rule, ruleId: rule.id, level: rule.level, firedtimes, ruleOutput: alertRule(rule, input, firedtimes) };
      if (ignoreMode === 'drop' || !found.parent || found.parent.synthetic || found.parent.level === 0) return NO_MATCH;
      rule = found.parent;
      firedtimes = agent.firedtimes.get(rule.id) ?? 1;
    } else if (ignoreMode === 'report' && last !== undefined) agent.ignoreUntil.delete(rule.id);
    else agent.ignoreUntil.set(rule.id, input.now);
  }
  // History: every event that reaches this step, whatever the logging decision.
  const entry: HistoryEntry = {
    time: input.now,
    log: input.log,
    fullLog: event.full_log,
    decoderType: input.decoderType,
    location: input.location,
    fields: input.fields,
    matched: scratch.matched,
  };
  const keep = ruleset.maxTimeframe;
  if (ruleset.usesGlobalHistory) agent.history.remember(entry, keep);
  if (rule.keepsSidHistory) {
    let list = agent.sidHistory.get(rule.id);
    if (!list) agent.sidHistory.set(rule.id, (list = new HistoryList()));
    list.remember(entry, keep);
  } else {
    // Wazuh/OSSEC analysisd: an event goes to its final rule's if_matched_sid list, or else (only when the rule
    // has none) to the if_matched_group lists of its groups; never to both.
    for (const idx of rule.groupLists) {
      let list = agent.groupHistory.get(idx);
      if (!list) agent.groupHistory.set(idx, (list = new HistoryList()));
      list.remember(entry, keep);
    }
  }
  const ruleOutput = alertRule(rule, input, firedtimes);
  const result: Evaluation = { rule, ruleId: rule.id, level: rule.level, firedtimes, ruleOutput };
  const alertLevel = options.alertLevel ?? 3;
  if ((rule.level >= alertLevel && !rule.options.noLog) || rule.options.logAlert) {
    result.alert = buildAlert(rule, input, { managerName: options.managerName, firedtimes, ruleOutput, previous: scratch.previous });
  }
  return result;
}
