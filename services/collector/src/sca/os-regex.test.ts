import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileOsRegex, execOsRegex, testOsRegex } from './os-regex.ts';
import { testOsMatch } from './os-match.ts';

const DOCS = process.env['VIGIL_SHARED_DOCS'] ?? '/work/shared/docs';
const VECTORS = join(DOCS, 'wazuh-regex-predecode-vectors.json');

interface Vector {
  pattern: string;
  subject: string;
  match?: boolean;
  end?: number;
  captures?: string[];
}

test('OS_Regex agrees with the C engine on every conformance vector', (t) => {
  if (!existsSync(VECTORS)) {
    t.skip(`${VECTORS} not found (set VIGIL_SHARED_DOCS)`);
    return;
  }
  const doc = JSON.parse(readFileSync(VECTORS, 'utf8')) as Record<string, Vector[]>;
  let checked = 0;
  for (const [set, withCaptures] of [['osregex_rule', false], ['osregex_decoder', true]] as const) {
    for (const v of doc[set] ?? []) {
      if (v.match === undefined) continue; // the C engine crashes on these
      const m = execOsRegex(compileOsRegex(v.pattern), v.subject, withCaptures);
      const got = m ? { match: true, end: m.end, ...(withCaptures ? { captures: m.captures } : {}) } : { match: false };
      const want = v.match ? { match: true, end: v.end, ...(withCaptures ? { captures: v.captures } : {}) } : { match: false };
      assert.deepEqual(got, want, `${set}: '${v.pattern}' on '${v.subject}'`);
      checked++;
    }
  }
  assert.ok(checked > 600, `only ${checked} vectors`);
});

test('OS_Regex classes and literals behave as in Wazuh, not as in JavaScript', () => {
  assert.equal(testOsRegex('^\\s*PASS_MAX_DAYS\\s*\\t*(\\d+)', 'PASS_MAX_DAYS\t90'), true);
  assert.equal(testOsRegex('a.c', 'abc'), false, "'.' is a literal dot");
  assert.equal(testOsRegex('a\\.c', 'abc'), true, "'\\.' is any character");
  assert.equal(testOsRegex('^\\s+x', '\tx'), false, '\\s is a space only');
  assert.equal(testOsRegex('PermitRootLogin', 'permitrootlogin no'), true, 'case-insensitive');
  assert.equal(testOsRegex('-e 2$', '-e 2'), true);
  assert.equal(testOsRegex('bad\\q', 'bad'), false, 'a pattern that does not compile never matches');
  assert.deepEqual(execOsRegex(compileOsRegex('^maxstartups\\s+\\d+:(\\d+):\\d+'), 'maxstartups 10:30:100')?.captures, ['30']);
  assert.throws(() => compileOsRegex('(a(b))'), /nested groups/);
});

test('OS_Match: alternatives, anchors, negation, case-insensitive', () => {
  assert.equal(testOsMatch('.conf', 'CIS.CONF'), true);
  assert.equal(testOsMatch('^99-|.rules$', 'x.rules'), true);
  assert.equal(testOsMatch('^99-', 'x99-'), false);
  assert.equal(testOsMatch('^exact$', 'exact'), true);
  assert.equal(testOsMatch('!tmp', 'a.tmp'), false);
});
