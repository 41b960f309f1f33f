import type { Alert } from '@vigil/common';
import { parseAlertTime } from './alert-row.ts';

/** The latest result of one SCA check on one agent. */
export interface ScaCheckResult {
  kind: 'check';
  agentId: string;
  policyId: string;
  policy: string;
  checkId: string;
  title: string;
  /** `passed`, `failed`, `not applicable` (or the status when the check could not run). */
  result: string;
  epochMs: number;
  alertId: string;
  check: Record<string, unknown>;
}

/** The summary of one SCA scan of a policy on one agent. */
export interface ScaSummary {
  kind: 'summary';
  agentId: string;
  policyId: string;
  name: string;
  scanId: string;
  passed: number;
  failed: number;
  invalid: number;
  totalChecks: number;
  score: number;
  epochMs: number;
  alertId: string;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function count(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** Reads `data.sca` of an SCA alert (Wazuh's `type: check` or `type: summary`); undefined for other alerts. */
export function scaResultOf(alert: Alert): ScaCheckResult | ScaSummary | undefined {
  const sca = alert.data?.['sca'];
  if (!sca || typeof sca !== 'object') return undefined;
  const s = sca as Record<string, unknown>;
  const policyId = text(s['policy_id']);
  if (policyId === '') return undefined;
  const base = { agentId: alert.agent.id, policyId, epochMs: parseAlertTime(alert.timestamp), alertId: alert.id };
  if (s['type'] === 'summary') {
    return {
      kind: 'summary',
      ...base,
      name: text(s['name'] ?? s['policy']),
      scanId: text(s['scan_id']),
      passed: count(s['passed']),
      failed: count(s['failed']),
      invalid: count(s['invalid']),
      totalChecks: count(s['total_checks']),
      score: count(s['score']),
    };
  }
  const check = s['check'];
  if (!check || typeof check !== 'object') return undefined;
  const c = check as Record<string, unknown>;
  const checkId = text(c['id']);
  if (checkId === '') return undefined;
  return {
    kind: 'check',
    ...base,
    policy: text(s['policy']),
    checkId,
    title: text(c['title']),
    result: text(c['result']) || text(c['status']),
    check: c,
  };
}
