import type { Alert } from '@vigil/common';

/** Compliance arrays of a Wazuh alert's `rule`, in the order Wazuh writes them. */
export const COMPLIANCE_STANDARDS = ['pci_dss', 'gdpr', 'hipaa', 'nist_800_53', 'tsc', 'gpg13', 'cis'] as const;
export type ComplianceStandard = (typeof COMPLIANCE_STANDARDS)[number];

/** The indexed columns of an alert; the whole alert is kept as JSON beside them. */
export interface AlertRow {
  id: string;
  timestamp: string;
  epoch_ms: number;
  level: number;
  rule_id: string;
  agent_id: string;
  agent_name: string;
  /** `,a,b,`: every group between commas. */
  groups: string;
  /** `,pci_dss:10.2.4,gdpr:IV_35.7.d,`: every compliance requirement as `<standard>:<requirement>`. */
  compliance: string;
  description: string;
  location: string;
  full_log: string;
  json: string;
}

/** Parses a Wazuh timestamp (`2024-01-31T12:00:00.000+0000`) or any ISO 8601 time to epoch ms; NaN if invalid. */
export function parseAlertTime(timestamp: string): number {
  return Date.parse(timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** The compliance requirements of an alert as `<standard>:<requirement>` strings. */
export function complianceOf(alert: Alert): string[] {
  const out: string[] = [];
  const rule = alert.rule as Record<string, unknown>;
  for (const std of COMPLIANCE_STANDARDS) {
    const values = rule[std];
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string' && v !== '') out.push(`${std}:${v}`);
  }
  return out;
}

/**
 * The search tags of an alert, each kept in its own index row: `group:<g>`, `<standard>:<requirement>` and
 * `mitre:<technique id>`. Filters and counts by group or compliance requirement read these.
 */
export function alertTags(alert: Alert): string[] {
  const tags = new Set<string>();
  for (const g of alert.rule.groups) if (g !== '') tags.add(`group:${g}`);
  for (const c of complianceOf(alert)) tags.add(c);
  for (const t of alert.rule.mitre?.id ?? []) tags.add(`mitre:${t}`);
  return [...tags];
}

export function toAlertRow(alert: Alert): AlertRow {
  const compliance = complianceOf(alert);
  return {
    id: alert.id,
    timestamp: alert.timestamp,
    epoch_ms: parseAlertTime(alert.timestamp),
    level: alert.rule.level,
    rule_id: alert.rule.id,
    agent_id: alert.agent.id,
    agent_name: alert.agent.name,
    groups: `,${alert.rule.groups.join(',')},`,
    compliance: compliance.length ? `,${compliance.join(',')},` : '',
    description: alert.rule.description,
    location: alert.location,
    full_log: alert.full_log ?? '',
    json: JSON.stringify(alert),
  };
}

/** Why an alert that passed schema validation still cannot be indexed, or undefined when it can. */
export function indexingProblem(alert: Alert): string | undefined {
  if (Number.isNaN(parseAlertTime(alert.timestamp))) return `invalid alert: field 'timestamp': '${alert.timestamp}' is not a time`;
  if (alert.id === '') return "invalid alert: field 'id' is empty";
  return undefined;
}
