import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { BUILTIN_RULESET } from '@vigil/wazuh-format';
import { rulesetTree, SSHD_DECODERS, wazuhRulesetDir } from '@vigil/wazuh-format/testing';
import { ruletestCommand, type RuletestOptions } from './ruletest.ts';

async function run(options: RuletestOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await ruletestCommand(options, { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

test("ruletest passes on the built-in ruleset's own tests (ruleset/tests), one line per case", async () => {
  const { code, stdout } = await run({ dirs: [join(BUILTIN_RULESET, 'tests')] });
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  assert.match(summary, /^\d+ cases in \d+ files: \d+ passed, 0 failed$/, stdout.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('    ')).slice(0, 20).join('\n'));
  assert.equal(code, 0);
  assert.match(stdout, /^ok {3}sshd\.ini \[[^\]]+\] log \d+ pass: rule 2001\d\d, level \d+, decoder vigil-sshd$/m);
  assert.match(stdout, /^ok {3}\S+\.ini \[[^\]]+\] log \d+ fail: must not give rule \d+; gave rule /m);
});

test("ruletest passes on Wazuh's own test suite, run as Wazuh's runner runs it (skipped without the reference data)", async (t) => {
  const dir = wazuhRulesetDir(['decoders', 'rules', 'tests']);
  if (!dir) return t.skip('the Wazuh ruleset is absent (set WAZUH_RULESET_DIR or provide ../shared/wazuh-ruleset)');
  const { code, stdout, stderr } = await run({ dirs: [join(dir, 'tests')], rulesets: [dir], wazuhRunner: true });
  const failures = stdout.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('    '));
  assert.deepEqual(failures.slice(0, 20), [], stderr);
  assert.equal(code, 0);
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  t.diagnostic(summary);
  const [, cases] = /^(\d+) cases/.exec(summary) ?? [];
  assert.ok(Number(cases) > 1000, summary);
  assert.ok(/^skip \S*geoip\.ini: GeoIP cases need a GeoIP database/m.test(stdout), 'the GeoIP cases are skipped with the reason');
});

test('a failing case exits 1 with a readable diff: expected and actual rule, level and decoder, and the line sent', async () => {
  const ruleset = rulesetTree({
    'decoders/sshd.xml': readFileSync(SSHD_DECODERS, 'utf8'),
    'rules/local.xml': '<group name="local,">\n  <rule id="100100" level="5"><decoded_as>sshd</decoded_as><match>Failed password</match><description>failed</description></rule>\n</group>\n',
  });
  const line = 'Dec 10 01:02:03 web sshd[1]: Failed password for root from 192.0.2.7 port 40022 ssh2';
  const tests = rulesetTree({
    'local.ini': `[failed password]\nlog 1 pass = ${line}\nrule = 100100\nalert = 5\ndecoder = sshd\n\n[wrong expectation]\nlog 1 pass = ${line}\nrule = 100101\nalert = 7\ndecoder = sshd\n\n[must not match]\nlog 1 fail = ${line}\nrule = 100100\n`,
  });
  const { code, stdout } = await run({ dirs: [tests], rulesets: [ruleset] });
  assert.equal(code, 1);
  assert.equal(
    stdout,
    [
      'ok   local.ini [failed password] log 1 pass: rule 100100, level 5, decoder sshd',
      'FAIL local.ini [wrong expectation] log 1 pass',
      '    - expected  rule 100101, level 7, decoder sshd',
      '    + actual    rule 100100, level 5, decoder sshd',
      "      why       rule '100100' (want '100101'), level '5' (want '7')",
      `      last line (1 sent): ${line}`,
      'FAIL local.ini [must not match] log 1 fail',
      '    - must not give  rule 100100',
      '    + actual         rule 100100, level 5, decoder sshd',
      '      why       must not give rule 100100, but did',
      `      last line (1 sent): ${line}`,
      '3 cases in 1 files: 1 passed, 2 failed',
      '',
    ].join('\n'),
  );
});

test('a ruleset with errors, or no test folder, is refused with the reason', async () => {
  const broken = rulesetTree({ 'rules/bad.xml': '<group name="x,">\n  <rule id="100100" level="5"><if_sid>42</if_sid></rule>\n</group>\n' });
  const tests = rulesetTree({ 'a.ini': '[x]\nlog 1 pass = x\nrule = 1\n' });
  const bad = await run({ dirs: [tests], rulesets: [broken] });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.xml:2: rule 100100: parent rule 42 \(if_sid\) does not exist/);
  assert.equal((await run({ dirs: [] })).code, 2);
  const missing = await run({ dirs: [join(tests, 'nope')] });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope: no such file or folder/);
});
