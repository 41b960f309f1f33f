import type { JsMsg } from '@nats-io/jetstream';
import { InvalidMessageError, validators, type Alert, type Outcome } from '@vigil/common';
import { indexingProblem } from '../core/alert-row.ts';

/** A batch of messages parsed: the dead-letter outcomes of the invalid ones, and the valid values with their positions. */
export interface ParsedBatch<T> {
  outcomes: Outcome[];
  values: T[];
  /** The position in the batch of each value's message. */
  index: number[];
}

/**
 * Parses a batch of messages. `parse` throws on an invalid message (an InvalidMessageError carries its code);
 * `problemOf` may still refuse a parsed value with a reason. Refused messages get their dead-letter outcome at once;
 * the sink decides the rest.
 */
export function parseBatch<T>(messages: readonly JsMsg[], parse: (data: Uint8Array) => T, problemOf?: (value: T) => string | undefined): ParsedBatch<T> {
  const outcomes: Outcome[] = new Array(messages.length);
  const values: T[] = [];
  const index: number[] = [];
  messages.forEach((msg, i) => {
    try {
      const value = parse(msg.data);
      const problem = problemOf?.(value);
      if (problem) {
        outcomes[i] = { kind: 'dead-letter', code: 'EVENT_INVALID', reason: problem };
        return;
      }
      values.push(value);
      index.push(i);
    } catch (err) {
      const e = err as Error;
      outcomes[i] = { kind: 'dead-letter', code: e instanceof InvalidMessageError ? e.code : 'EVENT_INVALID', reason: e.message };
    }
  });
  return { outcomes, values, index };
}

/** Parses a batch of alert messages; an alert the index cannot store (see indexingProblem) is refused. */
export function parseAlertBatch(messages: readonly JsMsg[]): ParsedBatch<Alert> {
  return parseBatch(messages, (data) => validators.alert.parse(data), indexingProblem);
}
