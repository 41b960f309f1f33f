import type { CheckOutcome, CheckResult, PolicyScan } from './policy-types.ts';

/** The result each check had at the end of a scan, by check id: what is kept between scans. */
export type ScanResults = Record<string, CheckResult>;

export interface CheckChange {
  /** The result at the previous scan; absent for a check never seen before. */
  previous?: CheckResult;
  current: CheckOutcome;
}

export function resultsOf(scan: PolicyScan): ScanResults {
  const out: ScanResults = {};
  for (const c of scan.checks) out[String(c.id)] = c.result;
  return out;
}

/**
 * The checks whose result differs from the previous scan's, one entry per check, in policy order. With no
 * previous scan every check is new (as with Wazuh, whose first scan reports every check).
 */
export function diffScans(previous: ScanResults | undefined, current: PolicyScan): CheckChange[] {
  const changes: CheckChange[] = [];
  for (const check of current.checks) {
    const before = previous?.[String(check.id)];
    if (before === check.result) continue;
    changes.push(before === undefined ? { current: check } : { previous: before, current: check });
  }
  return changes;
}
