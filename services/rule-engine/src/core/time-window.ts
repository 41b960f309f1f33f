/**
 * `<time>` and `<weekday>` of a rule, compared with the evaluation clock (UTC, so that every replica agrees).
 *   time:    `HH[:MM][ am|pm] - HH[:MM][ am|pm]`, optional leading `!`; start > end means "outside end..start".
 *   weekday: a list of sunday…saturday, 3-letter abbreviations, `weekdays` or `weekends`.
 */
export interface TimeWindow {
  start: string;
  end: string;
  outside: boolean;
}

function parseClock(text: string): string | undefined {
  const m = /^\s*(\d{1,2})(?::(\d{1,2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$/i.exec(text);
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  const ampm = m[3]?.toLowerCase().replace(/\./g, '');
  if (ampm === 'pm' && h < 12) h += 12;
  if (ampm === 'am' && h === 12) h = 0;
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

export function parseTimeWindow(text: string): TimeWindow | undefined {
  let body = text.trim();
  let outside = false;
  if (body.startsWith('!')) {
    outside = true;
    body = body.slice(1);
  }
  const parts = body.split('-');
  if (parts.length !== 2) return undefined;
  const start = parseClock(parts[0] as string);
  const end = parseClock(parts[1] as string);
  if (!start || !end) return undefined;
  // A range over midnight is stored as "outside end..start" (and any '!' is dropped), as Wazuh does.
  if (start > end) return { start: end, end: start, outside: true };
  return { start, end, outside };
}

export function inTimeWindow(w: TimeWindow, hhmm: string): boolean {
  const inside = w.start <= hhmm && hhmm <= w.end;
  return w.outside ? !inside : inside;
}

const DAYS: Record<string, number[]> = {
  sunday: [0], sun: [0], monday: [1], mon: [1], tuesday: [2], tue: [2], wednesday: [3], wed: [3],
  thursday: [4], thu: [4], friday: [5], fri: [5], saturday: [6], sat: [6],
  weekdays: [1, 2, 3, 4, 5], weekends: [0, 6],
};

/** The set of weekdays (0 = Sunday) as a 7-bit mask, or undefined when a name is unknown (a leading `!` too). */
export function parseWeekdays(text: string): number | undefined {
  let mask = 0;
  const names = text.toLowerCase().split(/[,\s]+/).filter(Boolean);
  if (names.length === 0) return undefined;
  for (const name of names) {
    const days = DAYS[name];
    if (!days) return undefined;
    for (const d of days) mask |= 1 << d;
  }
  return mask;
}
