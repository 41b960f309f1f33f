import type { Alert } from '@vigil/common';

/** Which message layout an alert gets. */
export type AlertKind = 'fim' | 'sca' | 'sca-summary' | 'generic';

export function alertKind(alert: Alert): AlertKind {
  if (alert.syscheck && typeof alert.syscheck['path'] === 'string') return 'fim';
  const sca = alert.data?.['sca'];
  if (sca && typeof sca === 'object' && typeof (sca as Record<string, unknown>)['check'] === 'object') return 'sca';
  if (sca && typeof sca === 'object' && (sca as Record<string, unknown>)['type'] === 'summary') return 'sca-summary';
  return 'generic';
}

/** A labelled value shown in a message; values are plain text (the payload builder escapes them). */
export interface Detail {
  label: string;
  value: string;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function push(out: Detail[], label: string, value: string | undefined): void {
  if (value !== undefined) out.push({ label, value });
}

/** Key decoded fields of any alert: source and destination address, users. */
export function genericDetails(alert: Alert): Detail[] {
  const data = alert.data ?? {};
  const out: Detail[] = [];
  const srcip = text(data['srcip']);
  const srcport = text(data['srcport']);
  push(out, 'Source IP', srcip && srcport ? `${srcip}:${srcport}` : srcip);
  push(out, 'Destination IP', text(data['dstip']));
  const srcuser = text(data['srcuser']);
  const dstuser = text(data['dstuser']);
  push(out, 'User', srcuser && dstuser && srcuser !== dstuser ? `${srcuser} → ${dstuser}` : (dstuser ?? srcuser));
  push(out, 'URL', text(data['url']));
  return out;
}

/** The attributes of a FIM alert worth a line: `<name>_before` → `<name>_after` in `syscheck`. */
const FIM_ATTRIBUTES = ['size', 'perm', 'uid', 'gid', 'uname', 'gname', 'mtime', 'inode', 'md5', 'sha1', 'sha256'] as const;

/** File path, event, changed attributes and their before/after values, and who made the change (audit). */
export function fimDetails(alert: Alert): { details: Detail[]; changes: string[] } {
  const sc = alert.syscheck ?? {};
  const details: Detail[] = [];
  push(details, 'File', text(sc['path']));
  push(details, 'Event', text(sc['event']));
  const changed = Array.isArray(sc['changed_attributes']) ? (sc['changed_attributes'] as unknown[]).map(String) : [];
  push(details, 'Changed attributes', changed.length > 0 ? changed.join(', ') : undefined);
  push(details, 'Mode', text(sc['mode']));
  const audit = record(sc['audit']);
  const user = record(audit?.['user']);
  const process = record(audit?.['process']);
  push(details, 'Changed by', text(user?.['name']) ?? text(user?.['id']));
  push(details, 'Process', text(process?.['name']));
  const changes: string[] = [];
  for (const attr of FIM_ATTRIBUTES) {
    const before = text(sc[`${attr}_before`]);
    const after = text(sc[`${attr}_after`]);
    if (before !== undefined && after !== undefined && before !== after) changes.push(`${attr}: ${before} → ${after}`);
  }
  return { details, changes };
}

/** The failing check of an SCA alert: policy, check id and title, result, reason, remediation. */
export function scaDetails(alert: Alert): { details: Detail[]; remediation: string | undefined; rationale: string | undefined } {
  const sca = record(alert.data?.['sca']) ?? {};
  const check = record(sca['check']) ?? {};
  const details: Detail[] = [];
  push(details, 'Policy', text(sca['policy']) ?? text(sca['policy_id']));
  const id = text(check['id']);
  const title = text(check['title']);
  push(details, 'Check', id && title ? `${id}: ${title}` : (title ?? id));
  push(details, 'Result', text(check['result']) ?? text(check['status']));
  push(details, 'Reason', text(check['reason']));
  const target = text(check['file']) ?? text(check['command']) ?? text(check['directory']) ?? text(check['process']) ?? text(check['registry']);
  push(details, 'Target', target);
  return { details, remediation: text(check['remediation']), rationale: text(check['rationale']) };
}

/** Most failing checks listed by title in an SCA summary message; the rest are counted. */
export const MAX_LISTED_CHECKS = 20;

/** An SCA scan summary: policy, score, passed/failed/not applicable counts, and the failing checks by title. */
export function scaSummaryDetails(alert: Alert): { details: Detail[]; failing: string[] } {
  const sca = record(alert.data?.['sca']) ?? {};
  const details: Detail[] = [];
  push(details, 'Policy', text(sca['policy']) ?? text(sca['name']) ?? text(sca['policy_id']));
  const score = text(sca['score']);
  push(details, 'Score', score === undefined ? undefined : `${score}%`);
  push(details, 'Passed', text(sca['passed']));
  push(details, 'Failed', text(sca['failed']));
  push(details, 'Not applicable', text(sca['invalid']));
  push(details, 'Checks', text(sca['total_checks']));
  const checks = Array.isArray(sca['failed_checks']) ? (sca['failed_checks'] as unknown[]).map(record) : [];
  const failing: string[] = [];
  for (const c of checks) {
    if (!c) continue;
    const id = text(c['id']);
    const title = text(c['title']);
    const line = id && title ? `${id}: ${title}` : (title ?? id);
    if (line !== undefined) failing.push(line);
  }
  const rest = failing.length - MAX_LISTED_CHECKS;
  return { details, failing: rest > 0 ? [...failing.slice(0, MAX_LISTED_CHECKS), `and ${rest} more`] : failing };
}

const COMPLIANCE: Array<[key: string, label: string]> = [
  ['pci_dss', 'PCI DSS'],
  ['gdpr', 'GDPR'],
  ['hipaa', 'HIPAA'],
  ['nist_800_53', 'NIST 800-53'],
  ['tsc', 'TSC'],
  ['gpg13', 'GPG13'],
  ['cis', 'CIS'],
];

/**
 * Compliance tags of an alert by standard, from the rule's arrays and, for SCA, the check's `compliance` object
 * (comma-separated values), without duplicates, in a fixed order of standards.
 */
export function complianceTags(alert: Alert): Array<{ standard: string; tags: string[] }> {
  const rule = alert.rule as Record<string, unknown>;
  const check = record(record(alert.data?.['sca'])?.['check']);
  const fromCheck = record(check?.['compliance']) ?? {};
  const out: Array<{ standard: string; tags: string[] }> = [];
  for (const [key, label] of COMPLIANCE) {
    const tags: string[] = [];
    const add = (t: string) => {
      const v = t.trim();
      if (v !== '' && !tags.includes(v)) tags.push(v);
    };
    const own = rule[key];
    if (Array.isArray(own)) for (const t of own) if (typeof t === 'string') add(t);
    const extra = fromCheck[key];
    if (typeof extra === 'string') extra.split(',').forEach(add);
    else if (Array.isArray(extra)) for (const t of extra) if (typeof t === 'string') add(t);
    if (tags.length > 0) out.push({ standard: label, tags });
  }
  return out;
}

/** MITRE ATT&CK techniques: `T1110.001 Password Guessing`, plus the tactics. */
export function mitreSummary(alert: Alert): { techniques: string[]; tactics: string[] } | undefined {
  const mitre = alert.rule.mitre;
  if (!mitre || mitre.id.length === 0) return undefined;
  // Names are given only for known ids, so they pair with ids only when both lists have the same length.
  const techniques =
    mitre.technique.length === mitre.id.length
      ? mitre.id.map((id, i) => `${id} ${mitre.technique[i] as string}`)
      : [...mitre.id, ...mitre.technique];
  return { techniques, tactics: [...mitre.tactic] };
}
