/** The classic files where a host's authentication events land when rsyslog writes them (Debian's and Red Hat's). */
export const AUTH_LOG_PATHS = ['/var/log/auth.log', '/var/log/secure'] as const;

const AUTH_LOG_NAMES = new Set(AUTH_LOG_PATHS.map((p) => p.slice(p.lastIndexOf('/') + 1)));

export interface JournalFacts {
  /** `collector.journal.enabled`. */
  setting: boolean | 'auto';
  /** `collector.hostLogs`: whether the host's usual logs are followed at all. */
  hostLogs: boolean;
  /** Which of the host log paths exist now. */
  presentHostLogs: readonly string[];
  /** Whether `journalctl` can be run. */
  journalctl: boolean;
  /** Whether a journal exists to read (/var/log/journal, /run/log/journal, or the configured directory). */
  journalFiles: boolean;
}

export interface JournalChoice {
  follow: boolean;
  /** One line for the start-up banner, or undefined when there is nothing to say. */
  note: string | undefined;
}

/**
 * Whether the collector follows the systemd journal. `auto` follows it when the host's usual logs are followed
 * and no classic authentication log exists (Debian 12, Ubuntu, most Kubernetes node images keep authentication
 * in the journal only); where rsyslog still writes auth.log, following both would report every login twice.
 */
export function chooseJournal(facts: JournalFacts): JournalChoice {
  // By file name, so the node's files under a DaemonSet's host mount (/host/var/log/auth.log) count too.
  const authLogs = facts.presentHostLogs.filter((p) => AUTH_LOG_NAMES.has(p.slice(p.lastIndexOf('/') + 1)));
  if (facts.setting === false) return { follow: false, note: undefined };
  if (facts.setting === true) {
    return facts.journalctl
      ? { follow: true, note: 'journal: following (collector.journal.enabled: true)' }
      : { follow: true, note: 'journal: journalctl is not installed; the journal cannot be followed (apt-get install -y systemd)' };
  }
  if (!facts.hostLogs) return { follow: false, note: undefined };
  if (authLogs.length > 0) return { follow: false, note: `journal: not followed, authentication is logged to ${authLogs.join(', ')}` };
  if (facts.journalctl && facts.journalFiles) {
    return { follow: true, note: `journal: following, since this host has no ${AUTH_LOG_PATHS.join(' or ')}` };
  }
  const missing = !facts.journalctl ? 'journalctl is not installed' : 'no journal files were found';
  return { follow: false, note: `authentication logs: none found (no ${AUTH_LOG_PATHS.join(' or ')}, and ${missing}); logins are not watched` };
}
