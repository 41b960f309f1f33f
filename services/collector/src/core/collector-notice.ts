import type { EventDraft } from './raw-event.ts';

/** Things the collector reports about its own sources, as events of their own (they never stop the collector). */
export type NoticeType =
  | 'file_unreadable'
  | 'directory_vanished'
  | 'binary_content'
  | 'invalid_json'
  | 'command_failed'
  | 'journal_unavailable'
  | 'whodata_unavailable'
  | 'audit_webhook_invalid'
  | 'audit_webhook_refused'
  /** A package database could not be read, or had records that could not be (the inventory). */
  | 'inventory_unreadable'
  | 'inventory_unavailable'
  /** The spool passed 80% or 95% of its bound (collector.spool.maxBytes). */
  | 'storage_budget'
  /** An active-response command was executed, reverted, refused, failed or only logged (dry run). */
  | 'active_response';

export const NOTICE_LOCATION = 'vigil-collector';

/**
 * A notice as a log event: `vigil-collector: <type>: '<subject>': <reason>` (one line a rule can match), with the
 * same facts under `payload.collector`.
 */
export function collectorNotice(type: NoticeType, subject: string, reason: string, extra: Record<string, unknown> = {}): EventDraft {
  return {
    kind: 'log',
    location: NOTICE_LOCATION,
    log: `vigil-collector: ${type}: '${subject}': ${reason}`,
    payload: { collector: { type, subject, reason, ...extra } },
  };
}
