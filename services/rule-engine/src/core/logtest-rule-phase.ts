import type { Alert, DecodedEvent } from '@vigil/common';
import { newEngineState, type EngineState } from './correlation-state.ts';
import { evaluateEvent } from './rule-engine.ts';
import type { CompiledRuleset, RuleSemantics } from './rule-types.ts';

/** The rule phase of one logtest event (wazuh-logtest's phase 3). */
export interface LogtestRuleResult {
  /** Undefined when no rule matched. */
  rule?: {
    id: string;
    level: number;
    description: string;
    groups: string[];
    firedtimes: number;
    /** The whole `rule` object of the alert JSON (compliance, mitre, mail, frequency...). */
    output: Record<string, unknown>;
  };
  /** The alert, when one is generated ("**Alert to be generated."). */
  alert?: Alert;
}

/** One logtest session: its own correlation state, firedtimes and ignore timers. */
export interface LogtestRuleSession {
  evaluate(event: DecodedEvent, now?: Date): LogtestRuleResult;
  readonly state: EngineState;
}

/**
 * The rule phase for `vigil logtest`, as wazuh-logtest runs it: a session keeps correlation state across its
 * events; a rule within its `ignore` window is dropped (with OSSEC's semantics, shown without an alert, as
 * ossec-logtest prints it); the clock is the processing time (or `now`).
 */
export function logtestRulePhase(
  ruleset: CompiledRuleset,
  options: { managerName: string; alertLevel?: number; semantics?: RuleSemantics },
): { newSession(): LogtestRuleSession } {
  const ignoreMode = options.semantics === 'ossec' ? 'report' : 'drop';
  return {
    newSession() {
      const state = newEngineState();
      return {
        state,
        evaluate(event, now = new Date()) {
          const ev = evaluateEvent(ruleset, state, event, {
            managerName: options.managerName,
            now: now.getTime(),
            ignoreMode,
            ...(options.alertLevel !== undefined ? { alertLevel: options.alertLevel } : {}),
          });
          if (!ev.rule || !ev.ruleOutput) return {};
          const output = ev.ruleOutput as Record<string, unknown>;
          return {
            rule: {
              id: ev.rule.id,
              level: ev.rule.level,
              description: String(output['description'] ?? ev.rule.description),
              groups: ev.rule.groups,
              firedtimes: ev.firedtimes ?? 1,
              output,
            },
            ...(ev.alert ? { alert: ev.alert } : {}),
          };
        },
      };
    },
  };
}
