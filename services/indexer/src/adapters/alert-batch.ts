import type { JsMsg } from '@nats-io/jetstream';
import { InvalidMessageError, validators, type Alert, type Outcome } from '@vigil/common';
import { indexingProblem } from '../core/alert-row.ts';

/**
 * Parses a batch of alert messages. Invalid ones get their dead-letter outcome at once; the valid alerts come back
 * with the position of their message, for the sink to decide the rest.
 */
export function parseAlertBatch(messages: readonly JsMsg[]): { outcomes: Outcome[]; alerts: Alert[]; index: number[] } {
  const outcomes: Outcome[] = new Array(messages.length);
  const alerts: Alert[] = [];
  const index: number[] = [];
  messages.forEach((msg, i) => {
    try {
      const alert = validators.alert.parse(msg.data);
      const problem = indexingProblem(alert);
      if (problem) {
        outcomes[i] = { kind: 'dead-letter', code: 'EVENT_INVALID', reason: problem };
        return;
      }
      alerts.push(alert);
      index.push(i);
    } catch (err) {
      const e = err as Error;
      outcomes[i] = { kind: 'dead-letter', code: e instanceof InvalidMessageError ? e.code : 'EVENT_INVALID', reason: e.message };
    }
  });
  return { outcomes, alerts, index };
}
