import type { AgentRef, RawEvent } from '@vigil/common';
import type { CheckChange } from './diff-scans.ts';
import { eventId } from '../core/raw-event.ts';
import type { CheckOutcome, CheckResult, PolicyScan, ScaCheck, ScaPolicy } from './policy-types.ts';

/**
 * The payloads of SCA raw events (kind `sca`, location `sca`). Each is `{ sca: ... }`, shaped like the `data`
 * of Wazuh's SCA alerts (`data.sca.type`, `data.sca.check.result`, `data.sca.check.previous_result`, ...), so
 * the SCA rules of the Wazuh ruleset (0570-sca_rules.xml: 19001-19015) and Wazuh dashboards read them
 * unchanged. As in Wazuh's alerts, scalar values are strings, compliance and references are comma-joined, and
 * file / directory / command / process / registry are lists.
 */

export interface ScaCheckData {
  id: string;
  title: string;
  description?: string;
  rationale?: string;
  impact?: string;
  remediation?: string;
  /** Framework → comma-joined controls, e.g. `{ cis: '5.2.4', pci_dss_v4.0: '2.2.4,8.2.1' }`. */
  compliance?: Record<string, string>;
  references?: string;
  condition: string;
  file?: string[];
  directory?: string[];
  command?: string[];
  process?: string[];
  registry?: string[];
  result: CheckResult;
  /** Why the check is not applicable. */
  reason?: string;
  /** The result at the previous scan, when there was one. */
  previous_result?: CheckResult;
}

export interface ScaCheckPayload {
  sca: {
    type: 'check';
    scan_id: string;
    policy: string;
    policy_id: string;
    check: ScaCheckData;
  };
}

export interface ScaSummaryPayload {
  sca: {
    type: 'summary';
    scan_id: string;
    policy: string;
    policy_id: string;
    description: string;
    file: string;
    references?: string;
    passed: string;
    failed: string;
    invalid: string;
    total_checks: string;
    score: string;
    start_time: string;
    end_time: string;
    /** The checks that failed in this scan (Vigil's addition, so `vigil sca` can list them from the summary). */
    failed_checks: Array<{ id: string; title: string }>;
  };
}

export type ScaPayload = ScaCheckPayload | ScaSummaryPayload;

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}

function addTargets(data: ScaCheckData, t: CheckOutcome['targets']): void {
  for (const kind of ['file', 'directory', 'command', 'process', 'registry'] as const) if (t[kind].length > 0) data[kind] = [...t[kind]];
}

export function checkPayload(policy: ScaPolicy, check: ScaCheck, change: CheckChange, scanId: string): ScaCheckPayload {
  const compliance = Object.fromEntries(Object.entries(check.compliance).map(([k, v]) => [k, v.join(',')]));
  const data: ScaCheckData = {
    id: String(check.id),
    title: check.title,
    ...optional('description', check.description),
    ...optional('rationale', check.rationale),
    ...optional('impact', check.impact),
    ...optional('remediation', check.remediation),
    ...(Object.keys(compliance).length > 0 ? { compliance } : {}),
    ...optional('references', check.references.join(',')),
    condition: check.condition,
    result: change.current.result,
    ...optional('reason', change.current.reason),
    ...(change.previous !== undefined ? { previous_result: change.previous } : {}),
  };
  addTargets(data, change.current.targets);
  return { sca: { type: 'check', scan_id: scanId, policy: policy.name, policy_id: policy.id, check: data } };
}

export function summaryPayload(policy: ScaPolicy, scan: PolicyScan, scanId: string, startedAt: Date, endedAt: Date): ScaSummaryPayload {
  const titles = new Map(policy.checks.map((c) => [c.id, c.title]));
  return {
    sca: {
      type: 'summary',
      scan_id: scanId,
      policy: policy.name,
      policy_id: policy.id,
      description: policy.description,
      file: policy.file,
      ...optional('references', policy.references.join(',')),
      passed: String(scan.passed),
      failed: String(scan.failed),
      invalid: String(scan.notApplicable),
      total_checks: String(scan.checks.length),
      score: String(scan.score),
      start_time: String(Math.floor(startedAt.getTime() / 1000)),
      end_time: String(Math.floor(endedAt.getTime() / 1000)),
      failed_checks: scan.checks.filter((c) => c.result === 'failed').map((c) => ({ id: String(c.id), title: titles.get(c.id) ?? '' })),
    },
  };
}

/** A raw event carrying an SCA payload; `seq` comes from the collector's own sequence. */
export function scaRawEvent(agent: AgentRef, seq: number, payload: ScaPayload, at: Date): RawEvent {
  return {
    v: 1,
    id: eventId(agent.id, seq),
    seq,
    agent,
    kind: 'sca',
    location: 'sca',
    collectedAt: at.toISOString(),
    payload: payload as unknown as Record<string, unknown>,
  };
}
