import type { Alert } from '@vigil/common';
import type { FieldTally } from './fold-tally.ts';
import type { FoldedGroup, Notice } from './notice.ts';

/** The JSON body posted to a generic webhook: the alert shown in full and what the message folded. */
export interface WebhookPayload {
  alert: Alert;
  /** Every alert the message stands for (1 = just `alert`). */
  count: number;
  alertIds: string[];
  folded: FoldedGroup[];
  tally: FieldTally;
  firstTimestamp: string;
  lastTimestamp: string;
}

/** Builds the webhook body for a notice (pure: no I/O). */
export function toWebhookPayload(notice: Notice): WebhookPayload {
  return {
    alert: notice.lead,
    count: notice.alertIds.length,
    alertIds: notice.alertIds,
    folded: notice.folded,
    tally: notice.tally,
    firstTimestamp: notice.span.first,
    lastTimestamp: notice.span.last,
  };
}
