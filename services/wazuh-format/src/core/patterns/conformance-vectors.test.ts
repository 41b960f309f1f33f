import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { vectorsFile } from '../../testing/reference-data.ts';
import { OsRegex } from './os-regex.ts';
import { OsMatch } from './os-match.ts';

interface RegexVector {
  pattern: string;
  subject: string;
  match?: boolean;
  end?: number;
  captures?: string[];
  compile_error?: number;
  undefined?: boolean;
}
interface Vectors {
  osregex_decoder: RegexVector[];
  osregex_rule: RegexVector[];
  osmatch: Array<{ pattern: string; subject: string; match: boolean }>;
}

const file = vectorsFile();
const vectors = file ? (JSON.parse(readFileSync(file, 'utf8')) as Vectors) : undefined;

function checkRegex(cases: RegexVector[], captures: boolean): { passed: number; failures: string[] } {
  const failures: string[] = [];
  let passed = 0;
  for (const v of cases) {
    if (v.undefined) continue;
    const label = `${JSON.stringify(v.pattern)} on ${JSON.stringify(v.subject)}`;
    let re: OsRegex;
    try {
      re = OsRegex.compile(v.pattern, { captures });
    } catch (err) {
      if (v.compile_error !== undefined) passed++;
      else failures.push(`${label}: unexpected compile error ${(err as Error).message}`);
      continue;
    }
    if (v.compile_error !== undefined) {
      failures.push(`${label}: compiled, expected compile error ${v.compile_error}`);
      continue;
    }
    const m = re.exec(v.subject);
    const got = m === null ? { match: false } : captures ? { match: true, end: m.end, captures: m.captures } : { match: true, end: m.end };
    const want = v.match ? (captures ? { match: true, end: v.end, captures: v.captures } : { match: true, end: v.end }) : { match: false };
    try {
      assert.deepEqual(got, want);
      passed++;
    } catch {
      failures.push(`${label}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  }
  return { passed, failures };
}

test('OS_Regex conformance vectors, as decoders compile it (captures)', (t) => {
  if (!vectors) return t.skip('wazuh-regex-predecode-vectors.json not found (set WAZUH_VECTORS_FILE)');
  const { passed, failures } = checkRegex(vectors.osregex_decoder, true);
  t.diagnostic(`osregex_decoder: ${passed}/${vectors.osregex_decoder.length} passed`);
  assert.deepEqual(failures, []);
});

test('OS_Regex conformance vectors, as rules compile it (no captures)', (t) => {
  if (!vectors) return t.skip('wazuh-regex-predecode-vectors.json not found (set WAZUH_VECTORS_FILE)');
  const { passed, failures } = checkRegex(vectors.osregex_rule, false);
  t.diagnostic(`osregex_rule: ${passed}/${vectors.osregex_rule.length} passed`);
  assert.deepEqual(failures, []);
});

test('OS_Match conformance vectors', (t) => {
  if (!vectors) return t.skip('wazuh-regex-predecode-vectors.json not found (set WAZUH_VECTORS_FILE)');
  const failures = vectors.osmatch
    .filter((v) => OsMatch.compile(v.pattern).test(v.subject) !== v.match)
    .map((v) => `${JSON.stringify(v.pattern)} on ${JSON.stringify(v.subject)}: want ${v.match}`);
  t.diagnostic(`osmatch: ${vectors.osmatch.length - failures.length}/${vectors.osmatch.length} passed`);
  assert.deepEqual(failures, []);
});
