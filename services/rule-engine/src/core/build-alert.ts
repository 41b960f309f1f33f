import { createHash } from 'node:crypto';
import type { Alert, DecodedEvent } from '@vigil/common';
import type { CompiledRule } from './rule-types.ts';

const COMPLIANCE_PREFIXES = [
  ['pci_dss_', 'pci_dss'],
  ['cis_', 'cis'],
  ['gdpr_', 'gdpr'],
  ['gpg13_', 'gpg13'],
  ['hipaa_', 'hipaa'],
  ['nist_800_53_', 'nist_800_53'],
  ['tsc_', 'tsc'],
] as const;

/** Splits Wazuh group tokens into plain groups and compliance arrays, as Wazuh does. */
export function splitGroups(tokens: readonly string[]): { groups: string[]; compliance: Record<string, string[]> } {
  const groups: string[] = [];
  const compliance: Record<string, string[]> = {};
  for (const token of tokens) {
    const prefix = COMPLIANCE_PREFIXES.find(([p]) => token.startsWith(p));
    if (prefix) (compliance[prefix[1]] ??= []).push(token.slice(prefix[0].length));
    else groups.push(token);
  }
  return { groups, compliance };
}

/** `YYYY-MM-DDTHH:MM:SS.mmm+0000`, the Wazuh alert timestamp form (in UTC). */
export function wazuhTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}

/**
 * Alert ids are `<epoch seconds>.<n>` like Wazuh's, with n derived from the event id and rule id, so the same
 * event always gives the same alert id (a redelivery is recognised downstream).
 */
export function alertId(event: DecodedEvent, ruleId: string): string {
  const seconds = Math.floor(Date.parse(event.collectedAt) / 1000);
  const n = parseInt(createHash('sha1').update(`${event.id}\u0000${ruleId}`).digest('hex').slice(0, 12), 16);
  return `${seconds}.${n}`;
}

function substituteDescription(description: string, event: DecodedEvent): string {
  return description.replace(/\$\(([^)]+)\)/g, (_m, field: string) => {
    const value = event.data[field] ?? (field === 'program_name' ? event.predecoder.program_name : undefined);
    return value === undefined ? '' : String(value);
  });
}

export function buildAlert(rule: CompiledRule, event: DecodedEvent, firedtimes: number, managerName: string): Alert {
  const { groups, compliance } = splitGroups(rule.groups);
  const alert: Alert = {
    timestamp: wazuhTimestamp(event.collectedAt),
    rule: {
      level: rule.level,
      description: substituteDescription(rule.description, event),
      id: rule.id,
      firedtimes,
      mail: false,
      groups,
      ...compliance,
    },
    agent: { id: event.agent.id, name: event.agent.name, ...(event.agent.ip ? { ip: event.agent.ip } : {}) },
    manager: { name: managerName },
    id: alertId(event, rule.id),
    ...(rule.options.includes('no_full_log') ? {} : { full_log: event.full_log }),
    ...(Object.keys(event.predecoder).length > 0 ? { predecoder: event.predecoder } : {}),
    decoder: event.decoder ?? {},
    ...(Object.keys(event.data).length > 0 ? { data: event.data } : {}),
    location: event.location,
  };
  if (rule.mitreIds.length > 0) alert.rule.mitre = { id: rule.mitreIds, tactic: [], technique: [] };
  return alert;
}
