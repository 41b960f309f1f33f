import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffScans, resultsOf } from './diff-scans.ts';
import type { CheckOutcome, PolicyScan } from './policy-types.ts';

const none = { file: [], directory: [], command: [], process: [], registry: [] };
const check = (id: number, result: CheckOutcome['result']): CheckOutcome => ({ id, result, targets: none });
const scan = (...checks: CheckOutcome[]): PolicyScan => ({ policyId: 'p', status: 'scanned', checks, passed: 0, failed: 0, notApplicable: 0, score: 0 });

test('a check whose result changed between two scans yields exactly one change', () => {
  const before = scan(check(1, 'passed'), check(2, 'failed'), check(3, 'not applicable'));
  const now = scan(check(1, 'failed'), check(2, 'failed'), check(3, 'not applicable'));
  assert.deepEqual(diffScans(resultsOf(before), now), [{ previous: 'passed', current: check(1, 'failed') }]);
  assert.deepEqual(diffScans(resultsOf(now), now), []);
});

test('without a previous scan every check is new; a check added to the policy is new', () => {
  const now = scan(check(1, 'passed'), check(2, 'failed'));
  assert.deepEqual(diffScans(undefined, now), [{ current: check(1, 'passed') }, { current: check(2, 'failed') }]);
  assert.deepEqual(diffScans({ '1': 'passed' }, now), [{ current: check(2, 'failed') }]);
});
