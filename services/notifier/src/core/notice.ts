import type { Alert } from '@vigil/common';
import { earlier, later, sourceOf, sumTallies, type FieldTally } from './fold-tally.ts';
import type { QueuedItem } from './fold-window.ts';

/** Alerts of the lead's rule and source IP, on one agent, that the rate limit folded into a message. */
export interface FoldedGroup {
  ruleId: string;
  level: number;
  description: string;
  agentId: string;
  agentName: string;
  count: number;
}

/** One Slack message to send, and every alert it accounts for (recorded and acked once Slack accepts it). */
export interface Notice {
  lead: Alert;
  /** Alerts of the lead's rule and agent this message stands for (1 = just the lead). */
  repeats: number;
  /** True when `repeats` sums up a fold window rather than one alert. */
  windowFold: boolean;
  firstTimestamp: string;
  lastTimestamp: string;
  /** What waited behind the rate limit, by rule and agent, largest first. */
  folded: FoldedGroup[];
  foldedCount: number;
  alertIds: string[];
  /** Source IPs and users of every alert the message stands for, with counts. */
  tally: FieldTally;
  /** Earliest and latest alert the message stands for. */
  span: { first: string; last: string };
}

/** Queued items fold into one message only when this is equal: the same rule, from the same source IP. */
export function noticeGroup(item: QueuedItem): string {
  return `${item.lead.rule.id}/${sourceOf(item.lead)}`;
}

/**
 * Builds one message from queued items (callers pass items of one `noticeGroup`: see `nextNotice`): the item with
 * the highest level (the earliest among equals) is shown in full, the rest is folded in with counts.
 */
export function composeNotice(queue: readonly QueuedItem[]): Notice {
  if (queue.length === 0) throw new Error('composeNotice needs at least one queued item');
  let leadIndex = 0;
  queue.forEach((item, i) => {
    if (item.lead.rule.level > (queue[leadIndex] as QueuedItem).lead.rule.level) leadIndex = i;
  });
  const lead = queue[leadIndex] as QueuedItem;
  const groups = new Map<string, FoldedGroup>();
  let foldedCount = 0;
  const alertIds = [...lead.alertIds];
  queue.forEach((item, i) => {
    if (i === leadIndex) return;
    alertIds.push(...item.alertIds);
    foldedCount += item.count;
    const group = groups.get(item.key);
    if (group) {
      group.count += item.count;
      group.level = Math.max(group.level, item.lead.rule.level);
    } else {
      groups.set(item.key, {
        ruleId: item.lead.rule.id,
        level: item.lead.rule.level,
        description: item.lead.rule.description,
        agentId: item.lead.agent.id,
        agentName: item.lead.agent.name,
        count: item.count,
      });
    }
  });
  const folded = [...groups.values()].sort((a, b) => b.level - a.level || b.count - a.count);
  return {
    lead: lead.lead,
    repeats: lead.count,
    windowFold: lead.folded,
    firstTimestamp: lead.firstTimestamp,
    lastTimestamp: lead.lastTimestamp,
    folded,
    foldedCount,
    alertIds,
    tally: sumTallies(queue.map((item) => item.tally)),
    span: {
      first: queue.reduce((t, item) => earlier(t, item.firstTimestamp), lead.firstTimestamp),
      last: queue.reduce((t, item) => later(t, item.lastTimestamp), lead.lastTimestamp),
    },
  };
}

/**
 * Plans the next message when a rate-limit token is free, `tokens` being the whole tokens free now (at least 1).
 * While there are tokens to spare, items go one message each, oldest first. On the last token, the item with the
 * highest level (the oldest among equals) carries every queued item of its rule and source IP folded in; items of
 * other rules or other sources stay queued for messages of their own (never merged, never dropped).
 */
export function nextNotice(queue: readonly QueuedItem[], tokens: number): { notice: Notice; rest: QueuedItem[] } {
  if (queue.length === 1 || tokens >= 2) return { notice: composeNotice(queue.slice(0, 1)), rest: queue.slice(1) };
  let lead = queue[0] as QueuedItem;
  for (const item of queue) if (item.lead.rule.level > lead.lead.rule.level) lead = item;
  const group = noticeGroup(lead);
  const together = queue.filter((item) => noticeGroup(item) === group);
  return { notice: composeNotice(together), rest: queue.filter((item) => noticeGroup(item) !== group) };
}
