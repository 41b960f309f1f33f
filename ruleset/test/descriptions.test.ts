/** Descriptions are what users read in Slack and the dashboard: they never carry Vigil's internal rule ids. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIGIL_RULESET } from './ruleset-harness.ts';

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
