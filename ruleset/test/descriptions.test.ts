/** Descriptions are what users read in Slack and the dashboard: they never carry Vigil's internal rule ids. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { casesOf } from './ruleset-cases.ts';
import { loadRuleset, runCase, VIGIL_RULESET } from './ruleset-harness.ts';

const RULES_DIR = join(VIGIL_RULESET, 'rules');

test('no rule description names a rule id of the ruleset, such as "(root: 200125)"', () => {
  const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.xml'));
  const texts = files.map((f) => ({ file: f, text: readFileSync(join(RULES_DIR, f), 'utf8') }));
  const ids = new Set(texts.flatMap(({ text }) => [...text.matchAll(/<rule\s[^>]*\bid="(\d+)"/g)].map((m) => m[1] as string)));
  assert.ok(ids.size > 50, 'the built-in rules were read');
  const offenders: string[] = [];
  for (const { file, text } of texts) {
    for (const m of text.matchAll(/<description>([^<]*)<\/description>/g)) {
      const description = m[1] as string;
      const line = text.slice(0, m.index).split('\n').length;
      const named = [...description.matchAll(/\b\d{4,}\b/g)].map((n) => n[0]).filter((n) => ids.has(n));
      if (named.length > 0 || /\(\w+: \d+\)/.test(description)) offenders.push(`${file}:${line}: ${description}`);
    }
  }
  assert.deepEqual(offenders, []);
});

/** What is wrong with a description as a sentence: fields left unsubstituted or empty, or raw JSON. */
function descriptionProblems(d: string): string[] {
  const checks: Array<[RegExp, string]> = [
    [/\$\(/, 'a field left unsubstituted'],
    [/[[\]{}"]/, 'raw JSON'],
    [/''|\(\)|\(\s*[;,]|\s,|[\w-]\/(?=[\s,;)…]|\.?$)|\s{2}|\s\.$/, 'an empty value'],
    [/^Kubernetes[^:]*:\s*$/, 'nothing said'],
  ];
  return checks.filter(([re]) => re.test(d)).map(([, what]) => what);
}

/**
 * What a Kubernetes alert says must read as a sentence: every field it names is set (no empty pod name for a pod
 * made from generateName, no `ns/` with nothing after it), and no JSON array or object is printed raw (sourceIPs,
 * groups, a pod spec).
 */
test('Kubernetes audit alerts: descriptions name every object and print no raw JSON, for every must-match case', () => {
  const { cases } = casesOf('kubernetes-audit.ini', readFileSync(join(VIGIL_RULESET, 'tests', 'kubernetes-audit.ini'), 'utf8'));
  const ruleset = loadRuleset([VIGIL_RULESET]);
  const alerting = cases.filter((c) => c.expect === 'pass' && Number(c.level) > 0);
  assert.ok(alerting.length > 50, 'the Kubernetes cases were read');
  const problems: string[] = [];
  for (const c of alerting) {
    const d = runCase(ruleset, c).description ?? '';
    const why = descriptionProblems(d);
    if (why.length > 0) problems.push(`[${c.section}] ${c.key}: ${why.join(', ')}: ${d}`);
  }
  assert.deepEqual(problems, []);
});

test('the description check catches an empty generateName pod name, a raw sourceIPs array and an unset field', () => {
  assert.deepEqual(descriptionProblems('Kubernetes: alice created pods shop/ with a privileged container.'), ['an empty value']);
  assert.deepEqual(descriptionProblems('Kubernetes: authentication failed from ["198.51.100.4"].'), ['raw JSON']);
  assert.deepEqual(descriptionProblems("Kubernetes: alice read secret '' from ."), ['an empty value']);
  assert.deepEqual(descriptionProblems('Kubernetes: alice read secret $(k8s.target).'), ['a field left unsubstituted']);
  assert.deepEqual(descriptionProblems('Kubernetes: alice mounted a sensitive host path into pods shop/web-x2kq8 (hostPath: /, /root/.ssh; images: a).'), []);
});
