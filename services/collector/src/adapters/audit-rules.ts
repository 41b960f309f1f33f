import { spawnSync } from 'node:child_process';

/**
 * The Linux audit system through `auditctl`: whether it can be used (root with the audit capability, auditd
 * running) and the watch rules FIM adds for who-data directories and removes on stop.
 */
export function auditUnavailableReason(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root';
  const status = spawnSync('auditctl', ['-s'], { encoding: 'utf8' });
  if (status.error) return 'auditctl is not installed (apt-get install -y auditd)';
  if (status.status !== 0) return `auditctl -s failed: ${(status.stderr || status.stdout).trim().split('\n')[0] ?? ''}`;
  if (/^enabled 0$/m.test(status.stdout)) return 'the audit system is disabled (auditctl -e 1)';
  if (/^pid 0$/m.test(status.stdout)) return 'auditd is not running';
  return undefined;
}

function auditctl(args: string[]): string | undefined {
  const r = spawnSync('auditctl', args, { encoding: 'utf8' });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.status}`;
}

/** Adds `-w path -p wa -k key`; returns the error text, or undefined when added (or already there). */
export function addAuditWatch(path: string, key: string): string | undefined {
  const err = auditctl(['-w', path, '-p', 'wa', '-k', key]);
  return err && /exists/i.test(err) ? undefined : err;
}

export function removeAuditWatch(path: string, key: string): string | undefined {
  return auditctl(['-W', path, '-p', 'wa', '-k', key]);
}
