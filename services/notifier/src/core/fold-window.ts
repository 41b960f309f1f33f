import type { Alert } from '@vigil/common';
import { addTally, sourceOf, tallyOf, type FieldTally } from './fold-tally.ts';

/**
 * One unit waiting to be posted: a single alert, or the alerts of one rule on one agent from one source IP folded
 * by a window.
 */
export interface QueuedItem {
  /** `<rule id>@<agent id>` and, when the alert has a source IP, `/<srcip>`. */
  key: string;
  /** The alert shown in full: the only one for a single alert, the latest for a fold. */
  lead: Alert;
  /** How many alerts the item stands for (1 for a single alert). */
  count: number;
  /** True when the item sums up alerts folded by the window (the first alert of the window was posted alone). */
  folded: boolean;
  alertIds: string[];
  firstTimestamp: string;
  lastTimestamp: string;
  /** Source IPs and users of the alerts the item stands for, with counts. */
  tally: FieldTally;
}

/** An open window of one rule on one agent: alerts after the first wait here until it closes. */
export interface FoldWindow {
  closesAt: number;
  lead: Alert | undefined;
  alertIds: string[];
  firstTimestamp: string;
  tally: FieldTally;
}

export interface FoldState {
  windows: Record<string, FoldWindow>;
}

export function emptyFoldState(): FoldState {
  return { windows: {} };
}

/** Alerts fold only with alerts of the same rule, agent and source IP: a second attacker is paged on its own. */
export function foldKey(alert: Alert): string {
  const source = sourceOf(alert);
  return `${alert.rule.id}@${alert.agent.id}${source === '' ? '' : `/${source}`}`;
}

const openWindow = (closesAt: number): FoldWindow => ({ closesAt, lead: undefined, alertIds: [], firstTimestamp: '', tally: {} });

export function singleItem(alert: Alert): QueuedItem {
  return {
    key: foldKey(alert),
    lead: alert,
    count: 1,
    folded: false,
    alertIds: [alert.id],
    firstTimestamp: alert.timestamp,
    lastTimestamp: alert.timestamp,
    tally: tallyOf(alert),
  };
}

/**
 * Admits an alert at time `now` (ms). The first alert of a rule on an agent from a source IP is ready at once and opens a window
 * of `windowMs`; later ones inside the window are held in it. Updates `state` in place (no I/O, no clock).
 */
export function admitAlert(state: FoldState, alert: Alert, now: number, windowMs: number): QueuedItem | undefined {
  if (windowMs <= 0) return singleItem(alert);
  const key = foldKey(alert);
  const open = state.windows[key];
  if (open && now < open.closesAt) {
    if (open.alertIds.length === 0) open.firstTimestamp = alert.timestamp;
    open.lead = alert;
    open.alertIds.push(alert.id);
    addTally(open.tally, tallyOf(alert));
    return undefined;
  }
  state.windows[key] = openWindow(now + windowMs);
  return singleItem(alert);
}

/**
 * Closes the windows due at `now`. A window that held alerts gives one folded item and opens again (a storm
 * gives one message per window); an empty one is forgotten. Updates `state` in place.
 */
export function closeDueWindows(state: FoldState, now: number, windowMs: number): QueuedItem[] {
  const ready: QueuedItem[] = [];
  for (const [key, window] of Object.entries(state.windows)) {
    if (now < window.closesAt) continue;
    if (window.lead === undefined) {
      delete state.windows[key];
      continue;
    }
    ready.push({
      key,
      lead: window.lead,
      count: window.alertIds.length,
      folded: true,
      alertIds: window.alertIds,
      firstTimestamp: window.firstTimestamp,
      lastTimestamp: window.lead.timestamp,
      tally: window.tally,
    });
    state.windows[key] = openWindow(now + windowMs);
  }
  return ready;
}

/** When the next window closes, or undefined when none is open. */
export function nextWindowClose(state: FoldState): number | undefined {
  let next: number | undefined;
  for (const window of Object.values(state.windows)) if (next === undefined || window.closesAt < next) next = window.closesAt;
  return next;
}

/** Alerts held in windows (not yet in any message). */
export function heldInWindows(state: FoldState): number {
  let n = 0;
  for (const window of Object.values(state.windows)) n += window.alertIds.length;
  return n;
}
