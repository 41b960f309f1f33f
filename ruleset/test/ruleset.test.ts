/**
 * Vigil's ruleset, every rule with its test: runs the cases of ruleset/tests/*.ini (Wazuh's test-suite format,
 * see ruleset-cases.ts and docs/ruleset.md) through the decoder and rule engines, alone and on top of Wazuh's
 * ruleset when ../shared/wazuh-ruleset (or $WAZUH_RULESET_DIR) is present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { casesOf, type RulesetCase } from './ruleset-cases.ts';
import { declaredRules, loadRuleset, runCase, verdict, VIGIL_RULESET, type LoadedRuleset } from './ruleset-harness.ts';

const TESTS_DIR = join(VIGIL_RULESET, 'tests');
const RULES_DIR = join(VIGIL_RULESET, 'rules');

/** The Wazuh ruleset, to check that ours loads and works on top of it: $WAZUH_RULESET_DIR or ../shared. */
const WAZUH_DIR = [process.env['WAZUH_RULESET_DIR'], resolve(VIGIL_RULESET, '../../shared/wazuh-ruleset'), '/work/shared/wazuh-ruleset'].find(
  (d): d is string => d !== undefined && existsSync(join(d, 'decoders')) && existsSync(join(d, 'rules')),
);
const NO_WAZUH = 'the Wazuh ruleset is absent (set WAZUH_RULESET_DIR or provide ../shared/wazuh-ruleset)';

/**
 * The test files whose sources Wazuh's ruleset does not decode itself, so that Vigil's decoders own them when both
 * rulesets are loaded (docs/ruleset.md, "On top of Wazuh's ruleset"). The host sources (sshd, sudo, PAM, auditd,
 * FIM, web, ...) stay with Wazuh's own decoders and rules there, by design.
 */
const ON_TOP_OF_WAZUH = ['kubernetes-audit.ini', 'kubelet.ini', 'docker-events.ini', 'cloudtrail.ini'];

const iniFiles = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.ini')).sort();
const parsed = iniFiles.map((f) => casesOf(f, readFileSync(join(TESTS_DIR, f), 'utf8')));
const allCases: RulesetCase[] = parsed.flatMap((p) => p.cases);
const problems = parsed.flatMap((p) => p.problems);

const where = (p: { file: string; line: number; message: string }) => `${relative(VIGIL_RULESET, p.file)}:${p.line}: ${p.message}`;
const ours = (file: string) => resolve(file).startsWith(VIGIL_RULESET);

function runAll(ruleset: LoadedRuleset, cases: readonly RulesetCase[]): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    const why = verdict(c, runCase(ruleset, c));
    if (why !== undefined) failures.push(`${c.file} [${c.section}] ${c.key}: ${why}`);
  }
  return failures;
}

/** Asserts no failures, naming the first ones (the whole list would drown the report). */
function assertNone(failures: readonly string[], total: number): void {
  assert.equal(failures.length, 0, `${failures.length}/${total} cases fail:\n${failures.slice(0, 15).join('\n')}`);
}

let cache: { alone?: LoadedRuleset; wazuh?: LoadedRuleset; both?: LoadedRuleset } = {};
const alone = () => (cache.alone ??= loadRuleset([VIGIL_RULESET]));
const wazuh = () => (cache.wazuh ??= loadRuleset([WAZUH_DIR as string]));
const both = () => (cache.both ??= loadRuleset([WAZUH_DIR as string, VIGIL_RULESET]));

test('the test files are well formed', () => {
  assert.deepEqual(problems, []);
  assert.ok(allCases.length > 0);
});

test('every rule has a must-match case, and every conditional rule a must-not-match case', (t) => {
  const rules = declaredRules(RULES_DIR);
  const ids = new Set(rules.map((r) => r.id));
  const passFor = new Set(allCases.filter((c) => c.expect === 'pass').map((c) => c.rule));
  const failFor = new Set(allCases.filter((c) => c.expect === 'fail').map((c) => c.rule));
  const noPass = rules.filter((r) => !passFor.has(r.id)).map((r) => `${r.file}: rule ${r.id}`);
  const noFail = rules.filter((r) => r.conditional && !failFor.has(r.id)).map((r) => `${r.file}: rule ${r.id}`);
  const unknown = [...new Set(allCases.map((c) => c.rule))].filter((id) => !ids.has(id)).map((id) => `cases expect rule ${id}, which no rule file declares`);
  const outOfRange = rules.filter((r) => Number(r.id) < 200000 || Number(r.id) > 299999).map((r) => `${r.file}: rule ${r.id} is outside 200000-299999`);
  t.diagnostic(`${rules.length} rules, ${rules.filter((r) => r.conditional).length} conditional; ${allCases.length} cases in ${iniFiles.length} files`);
  assert.deepEqual({ noPass, noFail, unknown, outOfRange }, { noPass: [], noFail: [], unknown: [], outOfRange: [] });
});

test('every rule is listed in docs/ruleset.md', () => {
  const doc = readFileSync(resolve(VIGIL_RULESET, '../docs/ruleset.md'), 'utf8');
  assert.deepEqual(declaredRules(RULES_DIR).filter((r) => !doc.includes(`| ${r.id} |`)).map((r) => r.id), []);
});

test('Vigil ruleset alone: loads with zero errors and zero warnings', (t) => {
  t.diagnostic(`${alone().decoderCount} decoders, ${declaredRules(RULES_DIR).length} rules`);
  assert.deepEqual({ errors: alone().errors.map(where), warnings: alone().warnings.map(where) }, { errors: [], warnings: [] });
});

test('Vigil ruleset alone: every case passes (log lines, and FIM and SCA events)', (t) => {
  const failures = runAll(alone(), allCases);
  for (const kind of ['log', 'fim', 'sca']) {
    const cases = allCases.filter((c) => c.kind === kind);
    t.diagnostic(`${kind}: ${cases.length - failures.filter((f) => cases.some((c) => f.startsWith(`${c.file} [${c.section}] ${c.key}:`))).length}/${cases.length} pass`);
  }
  assertNone(failures, allCases.length);
});

test("Vigil ruleset on top of Wazuh's: zero errors, zero warnings in our files, and the Kubernetes, container and cloud cases pass", (t) => {
  if (!WAZUH_DIR) {
    t.diagnostic(`skipped: ${NO_WAZUH}`);
    return t.skip(NO_WAZUH);
  }
  const loaded = both();
  const warningsInOurs = loaded.warnings.filter((w) => ours(w.file));
  t.diagnostic(`${loaded.decoderCount} decoders; ${loaded.warnings.length - warningsInOurs.length} warnings in Wazuh's own files (not ours)`);
  assert.deepEqual({ errors: loaded.errors.map(where), warnings: warningsInOurs.map(where) }, { errors: [], warnings: [] });
  const cases = allCases.filter((c) => ON_TOP_OF_WAZUH.includes(c.file));
  const failures = runAll(loaded, cases);
  t.diagnostic(`cases: ${cases.length - failures.length}/${cases.length} pass`);
  assertNone(failures, cases.length);
});

test("Vigil ruleset on top of Wazuh's does not change the outcome of Wazuh's own test cases", (t) => {
  if (!WAZUH_DIR) {
    t.diagnostic(`skipped: ${NO_WAZUH}`);
    return t.skip(NO_WAZUH);
  }
  const testsDir = join(WAZUH_DIR, 'tests');
  const files = readdirSync(testsDir).filter((f) => f.endsWith('.ini') && !f.startsWith('test_') && !f.endsWith('geoip.ini')).sort();
  const cases = files.flatMap((f) => casesOf(f, readFileSync(join(testsDir, f), 'utf8')).cases);
  const changed: string[] = [];
  let passAlone = 0;
  for (const c of cases) {
    const a = runCase(wazuh(), c);
    if (verdict(c, a) !== undefined) continue;
    passAlone++;
    const b = runCase(both(), c);
    if (verdict(c, b) !== undefined) changed.push(`${c.file} [${c.section}] ${c.key}: ${a.rule}/${a.decoder} alone, ${b.rule}/${b.decoder} with Vigil's`);
  }
  t.diagnostic(`${passAlone}/${cases.length} Wazuh cases pass with Wazuh's ruleset alone on these engines; ${changed.length} of them change with Vigil's on top`);
  assert.deepEqual(changed, []);
  cache = {};
});
