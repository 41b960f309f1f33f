import { InvalidMessageError, validators, type Alert } from '@vigil/common';
import { evaluateEvent, eventClock, type EngineState } from '../core/rule-engine.ts';
import type { CompiledRuleset } from '../core/rule-types.ts';

/** One decoded-event message as it travels to a worker: its bytes (or text) and the agent of its subject. */
export interface MessageItem {
  data: Uint8Array | string;
  /** The agent id of the subject, or undefined when the subject is not a decoded-event subject. */
  agent: string | undefined;
}

/** What to do with one message. Alerts travel as their JSON text, ready to publish. */
export type ItemResult =
  | { kind: 'none' }
  | { kind: 'alert'; id: string; level: number; agent: string; rule: string; json: string }
  | { kind: 'dead-letter'; code: string; reason: string };

export interface EvaluationSettings {
  managerName: string;
  /** `processing`: correlation windows count processing time (Wazuh); `event`: the events' own timestamps. */
  clock: 'processing' | 'event';
  alertLevel?: number;
  /** A GeoLite2/GeoIP2 City database (`.mmdb`) for srcgeoip/dstgeoip; each thread opens it. */
  geoipDatabase?: string;
  /** The content hash of the ruleset, written into every alert as `vigil.ruleset`. */
  rulesetHash?: string;
}

/**
 * Parses, checks and evaluates a batch of messages in order on the given state: the function the worker pool
 * wraps, and the one a consumer calls directly when it evaluates in its own thread.
 */
export function evaluateMessages(
  ruleset: CompiledRuleset,
  state: EngineState,
  items: readonly MessageItem[],
  settings: EvaluationSettings,
  geoLookup?: (ip: string) => string | undefined,
): ItemResult[] {
  const out: ItemResult[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as MessageItem;
    try {
      const event = validators.decodedEvent.parse(item.data);
      if (item.agent !== event.agent.id) {
        throw new InvalidMessageError('AGENT_MISMATCH', `agent id '${event.agent.id}' differs from the agent of its subject ('${item.agent ?? '?'}')`);
      }
      const now = settings.clock === 'event' ? eventClock(event) : Date.now();
      const ev = evaluateEvent(ruleset, state, event, {
        managerName: settings.managerName,
        now,
        ...(settings.alertLevel !== undefined ? { alertLevel: settings.alertLevel } : {}),
        ...(geoLookup ? { geoLookup } : {}),
      });
      const alert: Alert | undefined = ev.alert;
      if (alert && settings.rulesetHash !== undefined) alert.vigil = { ruleset: settings.rulesetHash };
      out[i] = alert
        ? { kind: 'alert', id: alert.id, level: alert.rule.level, agent: alert.agent.id, rule: alert.rule.id, json: JSON.stringify(alert) }
        : { kind: 'none' };
    } catch (err) {
      out[i] = err instanceof InvalidMessageError
        ? { kind: 'dead-letter', code: err.code, reason: err.message }
        : { kind: 'dead-letter', code: 'PROCESSING_FAILED', reason: `rule evaluation failed: ${(err as Error).message}` };
    }
  }
  return out;
}
