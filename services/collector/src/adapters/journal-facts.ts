import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import type { CollectorConfig } from '../config.ts';
import type { JournalFacts } from '../core/journal-choice.ts';

function hasFiles(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** What `chooseJournal` needs to know about this host: which host logs exist, whether journalctl and a journal do. */
export function journalFacts(config: CollectorConfig, binary = 'journalctl'): JournalFacts {
  const journalDirs = config.journal.directory ? [config.journal.directory] : ['/var/log/journal', '/run/log/journal'];
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  return {
    setting: config.journal.enabled,
    hostLogs: config.hostLogs,
    presentHostLogs: config.hostLogs ? config.hostLogPaths.filter((p) => existsSync(p)) : [],
    journalctl: !probe.error && probe.status === 0,
    journalFiles: journalDirs.some(hasFiles),
  };
}
