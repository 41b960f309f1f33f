import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wazuhRulesetDir } from '../../testing/reference-data.ts';
import { parseWazuhIni } from '../../testing/wazuh-ini.ts';
import { OsRegex, type OsRegexMatch } from './os-regex.ts';
import { compileAlternatives } from './os-regex-cells.ts';
import { compileRunner } from './os-regex-codegen.ts';
import { runAlternative } from './os-regex-engine.ts';

/**
 * The fast paths of OsRegex (RegExp, prefilters, generated runners, the first-character skip) against the plain
 * interpreter, which follows the C engine step by step: every OS_Regex pattern of the Wazuh ruleset on every log
 * line of its test suite, from several offsets, must give the same match, end position and captures.
 */

const dir = wazuhRulesetDir();
const skipReason = 'Wazuh ruleset not found (set WAZUH_RULESET_DIR to a copy with decoders/, rules/ and tests/)';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The OS_Regex `<regex>`/`<prematch>` texts of the XML files under `sub`, with the capture mode each is used in. */
function osRegexPatterns(root: string, sub: string, captures: boolean): Array<{ pattern: string; captures: boolean }> {
  const out: Array<{ pattern: string; captures: boolean }> = [];
  for (const file of readdirSync(join(root, sub)).filter((f) => f.endsWith('.xml'))) {
    const text = readFileSync(join(root, sub, file), 'utf8');
    for (const m of text.matchAll(/<(regex|prematch)(\s[^>]*)?>([\s\S]*?)<\/\1\s*>/g)) {
      const type = /\btype\s*=\s*"([^"]*)"/i.exec(m[2] ?? '')?.[1]?.toLowerCase();
      if (type !== undefined && type !== 'osregex') continue;
      const pattern = (m[3] ?? '').replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e] ?? '');
      // A decoder compiles its <regex> with captures; its <prematch> and rules' <regex> without.
      out.push({ pattern, captures: captures && m[1] === 'regex' });
    }
  }
  return out;
}

function logLines(root: string): string[] {
  const lines: string[] = [];
  const tests = join(root, 'tests');
  for (const f of readdirSync(tests).filter((x) => x.endsWith('.ini'))) {
    for (const [, keys] of parseWazuhIni(readFileSync(join(tests, f), 'utf8'))) {
      for (const [k, v] of keys) if (k.startsWith('log ')) lines.push(...v.split('\n'));
    }
  }
  return [...new Set(lines)];
}

/** Strings the test suite lacks: empty, NUL inside (C's string ends there), non-ASCII, upper case, long runs. */
const SYNTHETIC = [
  '',
  ' ',
  '\0',
  'abc\0def: 1',
  'Failed password for root from 10.0.0.1 port 22\0 ssh2',
  'héllo wörld: ünïcödé 123 — “quotes” 日本語 ✓',
  'FAILED PASSWORD FOR INVALID USER ADMIN FROM 1.2.3.4 PORT 5 SSH2',
  'x'.repeat(300),
  ':'.repeat(50) + '%ASA-1-2',
  '<a><b>c</b></a>\t\t"k":"v"',
];

function show(m: OsRegexMatch | null): string {
  return m === null ? 'null' : JSON.stringify(m);
}

function same(a: OsRegexMatch | null, b: OsRegexMatch | null): boolean {
  if (a === null || b === null) return a === b;
  return a.end === b.end && a.captures.length === b.captures.length && a.captures.every((c, i) => c === b.captures[i]);
}

test('OS_Regex generated runners agree with the interpreter on the Wazuh ruleset and its test logs', (t) => {
  if (!dir) return t.skip(skipReason);
  const patterns = [...osRegexPatterns(dir, 'decoders', true), ...osRegexPatterns(dir, 'rules', false)];
  const seen = new Set<string>();
  const subjects = [...logLines(dir), ...SYNTHETIC];
  let compared = 0;
  const failures: string[] = [];
  for (const { pattern, captures } of patterns) {
    const key = `${captures}\u0001${pattern}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let fast: OsRegex;
    let slow: OsRegex;
    try {
      slow = OsRegex.compile(pattern, { captures, specialise: false });
    } catch {
      assert.throws(() => OsRegex.compile(pattern, { captures }), Error, pattern);
      continue;
    }
    fast = OsRegex.compile(pattern, { captures });
    for (let i = 0; i < subjects.length; i++) {
      const s = subjects[i] as string;
      // From the start; for some subjects also from the middle (a decoder's resumed offset) and from the end.
      const offsets = i % 32 === 0 || i >= subjects.length - SYNTHETIC.length ? [0, s.length >> 1, s.length] : [0];
      for (const from of offsets) {
        const want = slow.exec(s, from);
        const got = fast.exec(s, from);
        compared++;
        if (!same(got, want) && failures.length < 10) {
          failures.push(`${JSON.stringify(pattern)} (captures: ${captures}) on ${JSON.stringify(s)} from ${from}: ${show(got)}, interpreter ${show(want)}`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(seen.size > 1000 && compared > 1e6, `${seen.size} patterns, ${compared} comparisons`);
});

test('OS_Regex generated runners agree with the interpreter on every alternative of the Wazuh ruleset', (t) => {
  if (!dir) return t.skip(skipReason);
  // The runners on their own, without the prefilters that keep most subjects away from them in OsRegex.exec (and
  // so on subjects where they scan far), on a sample: the plain interpreter is slow on long lines.
  const patterns = [...osRegexPatterns(dir, 'decoders', true), ...osRegexPatterns(dir, 'rules', false)];
  const sample = [...logLines(dir).filter((s, i) => i % 32 === 0 && s.length <= 200), ...SYNTHETIC];
  const failures: string[] = [];
  const seen = new Set<string>();
  let compared = 0;
  for (const { pattern } of patterns) {
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    let alternatives;
    try {
      alternatives = compileAlternatives(pattern).alternatives;
    } catch {
      continue;
    }
    for (const alt of alternatives) {
      // Without groups the capture mode changes nothing.
      for (const captureMode of alt.groups.length > 0 ? [false, true] : [false]) {
        const run = compileRunner(alt, captureMode);
        if (run === undefined) continue;
        const capA = new Int32Array(alt.cells.length);
        const capB = new Int32Array(alt.cells.length);
        for (const s of sample) {
          capA.fill(0);
          capB.fill(0);
          const a = run(s, 0, capA);
          const b = runAlternative(alt, s, 0, captureMode, capB);
          compared++;
          if ((a !== b || capA.join() !== capB.join()) && failures.length < 10) {
            failures.push(`${JSON.stringify(pattern)} (captures: ${captureMode}) on ${JSON.stringify(s)}: ${a} [${capA.join()}], interpreter ${b} [${capB.join()}]`);
          }
        }
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(compared > 1e5, `${compared} comparisons`);
});

test('OS_Regex generated runners agree with the interpreter on random patterns (the engine\'s quirks included)', () => {
  let seed = 11;
  const rand = (n: number) => {
    // Math.imul: a plain product would exceed 2^53 and lose the low bits. The high bits repeat least.
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return (seed >>> 12) % n;
  };
  // Groups next to each other or empty, quantified classes at the end, literal + and *, '(' in subjects (a group
  // mark read as a literal matches it), NUL and non-ASCII code units.
  const atoms = ['a', 'b', 'B', ':', ' ', '+', '*', '(', ')', '()', '\\d+', '\\d*', '\\w+', '\\w*', '\\S+', '\\s*', '\\.+', '\\.*', '\\p', '\\d', '\\w', '\\W', '\\(', 'é'];
  const chars = ['a', 'b', 'A', 'B', ':', ' ', '1', '2', '-', '(', ')', '+', '\0', 'é', '\t'];
  for (let k = 0; k < 3000; k++) {
    let p = '';
    let open = false;
    for (let i = 1 + rand(6); i > 0; i--) {
      const atom = atoms[rand(atoms.length)] as string;
      if (atom === '(' || atom === '()') {
        if (open) continue;
        open = atom === '(';
      } else if (atom === ')') {
        if (!open) continue;
        open = false;
      }
      p += atom;
    }
    if (open) p += ')';
    if (rand(3) === 0) p = `^${p}`;
    if (rand(3) === 0) p += '$';
    const { alternatives } = compileAlternatives(p);
    for (const alt of alternatives) {
      for (const captureMode of [false, true]) {
        const run = compileRunner(alt, captureMode);
        assert.ok(run !== undefined);
        const capA = new Int32Array(alt.cells.length);
        const capB = new Int32Array(alt.cells.length);
        for (let m = 0; m < 6; m++) {
          let s = '';
          for (let i = rand(14); i > 0; i--) s += chars[rand(chars.length)];
          const base = rand(3) === 0 ? rand(s.length + 1) : 0;
          capA.fill(0);
          capB.fill(0);
          const a: number = run(s, base, capA);
          const b = runAlternative(alt, s, base, captureMode, capB);
          assert.deepEqual([a, [...capA]], [b, [...capB]], `${JSON.stringify(p)} (captures: ${captureMode}) on ${JSON.stringify(s)} from ${base}`);
        }
      }
    }
  }
});
