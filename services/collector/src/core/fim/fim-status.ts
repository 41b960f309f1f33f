import type { FimDirectory } from '../../fim-config.ts';

const AUDIT_HINT = 'to turn it on, as root: apt-get install -y auditd && auditd && auditctl -e 1';

/**
 * The start-up banner's FIM lines: which directories are watched as they change (who-data, or realtime when the
 * audit system cannot be used, and why), and which only by the scheduled scan.
 */
export function fimStatusLines(input: {
  directories: readonly Pick<FimDirectory, 'path' | 'realtime' | 'whodata'>[];
  /** Why who-data is off, when some directory asked for it and it could not be used. */
  whodataOff: string | undefined;
  frequencySeconds: number;
}): string[] {
  const lines: string[] = [];
  const who = input.directories.filter((d) => d.whodata).map((d) => d.path);
  const realtime = input.directories.filter((d) => d.realtime && !d.whodata).map((d) => d.path);
  const scheduled = input.directories.filter((d) => !d.realtime && !d.whodata).map((d) => d.path);
  if (who.length > 0 && !input.whodataOff) lines.push(`fim: who-data on (auditd: who changed what) for ${who.join(', ')}`);
  if (who.length > 0 && input.whodataOff) {
    const hint = /not running as root/.test(input.whodataOff) ? 'run the collector as root to turn it on' : AUDIT_HINT;
    lines.push(`fim: who-data off (${input.whodataOff}); ${who.join(', ')} watched in realtime (inotify) instead; ${hint}`);
  }
  if (realtime.length > 0) lines.push(`fim: realtime (inotify) for ${realtime.join(', ')}`);
  if (scheduled.length > 0) {
    const hours = input.frequencySeconds / 3600;
    const every = hours >= 1 ? `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h` : `${Math.round(input.frequencySeconds / 60)} min`;
    lines.push(`fim: scheduled scan every ${every} only for ${scheduled.join(', ')}`);
  }
  return lines;
}
