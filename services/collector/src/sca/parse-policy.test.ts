import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';
import { parsePolicy } from './parse-policy.ts';
import { parseRule } from './parse-rule.ts';
import { listPolicyFiles } from './policy-files.ts';

const WAZUH_SCA = join(process.env['WAZUH_RULESET_DIR'] ?? '/work/shared/wazuh-ruleset', 'sca');

test("every one of Wazuh's 77 SCA policies parses", (t) => {
  if (!existsSync(WAZUH_SCA)) {
    t.skip(`${WAZUH_SCA} not found (set WAZUH_RULESET_DIR)`);
    return;
  }
  const files = listPolicyFiles([WAZUH_SCA]);
  assert.equal(files.length, 77);
  const ids = new Set<string>();
  let checks = 0;
  for (const file of files) {
    const policy = parsePolicy(file, readFileSync(file, 'utf8'));
    assert.ok(policy.checks.length > 0, file);
    assert.ok(!ids.has(policy.id), `duplicated policy id ${policy.id}`);
    ids.add(policy.id);
    checks += policy.checks.length;
  }
  assert.ok(checks > 10_000, `${checks} checks`);
});

const MINIMAL = `policy:
  id: "p1"
  file: "p1.yml"
  name: "Policy one"
  description: "A test policy"
checks:
  - id: 1
    title: "First"
    condition: all
    rules:
      - "f:/etc/passwd"
`;

test('a minimal policy parses into plain data', () => {
  const p = parsePolicy('/x/p1.yml', MINIMAL);
  assert.deepEqual(p, {
    id: 'p1',
    file: 'p1.yml',
    name: 'Policy one',
    description: 'A test policy',
    references: [],
    regexType: 'osregex',
    variables: {},
    checks: [
      {
        id: 1,
        title: 'First',
        references: [],
        compliance: {},
        condition: 'all',
        rules: [{ text: 'f:/etc/passwd', negated: false, type: 'file', location: '/etc/passwd' }],
        line: 7,
      },
    ],
    source: '/x/p1.yml',
    warnings: [],
  });
});

test('a pattern that cannot compile is a warning with its line, and never matches (as in Wazuh)', () => {
  const p = parsePolicy('/x/p3.yml', MINIMAL.replace('"f:/etc/passwd"', "'f:/etc/passwd -> r:^\\[root'"));
  assert.deepEqual(p.warnings, [{ line: 11, message: "check 1: osregex pattern '^\\[root': unknown escape '\\[' at offset 1; the pattern never matches" }]);
});

test('a policy that is not valid YAML fails with its file and line', () => {
  const broken = MINIMAL.replace('    title: "First"', '    title: "First\n   bad: [');
  assert.throws(
    () => parsePolicy('/x/broken.yml', broken),
    (err: unknown) => err instanceof VigilError && err.code === 'SCA_POLICY_INVALID' && /^\/x\/broken\.yml:\d+:\d+: invalid YAML/.test(err.message),
  );
});

test('structural problems are all reported, each with file:line', () => {
  const bad = `policy:
  id: "p2"
  file: "p2.yml"
  name: "Two"
  description: "d"
checks:
  - id: 10
    title: "Bad condition"
    condition: most
    rules:
      - "f:/etc/passwd"
  - id: 11
    title: "Bad rule"
    condition: all
    rules:
      - "x:/etc/passwd"
  - id: 10
    title: "Duplicate"
    condition: all
    rules:
      - "f:/etc/group"
`;
  try {
    parsePolicy('/x/p2.yml', bad);
    assert.fail('should not parse');
  } catch (err) {
    assert.ok(err instanceof VigilError);
    assert.equal(err.code, 'SCA_POLICY_INVALID');
    assert.match(err.message, /\/x\/p2\.yml:7: check 10: condition must be all, any or none/);
    assert.match(err.message, /\/x\/p2\.yml:16: check 11: rule 'x:\/etc\/passwd' has an unknown type 'x:'/);
    assert.match(err.message, /\/x\/p2\.yml:\d+: check 10: duplicated check id/);
  }
});

test('rules: not, content patterns with &&, directory chains, variables, commands, processes', () => {
  assert.deepEqual(parseRule('not f:$sshd -> !r:^# && n:^MaxAuthTries\\s+(\\d+) compare <= 4', { $sshd: '/etc/ssh/sshd_config' }), {
    text: 'not f:$sshd -> !r:^# && n:^MaxAuthTries\\s+(\\d+) compare <= 4',
    negated: true,
    type: 'file',
    location: '/etc/ssh/sshd_config',
    pattern: {
      source: '!r:^# && n:^MaxAuthTries\\s+(\\d+) compare <= 4',
      minterms: [
        { kind: 'regex', negated: true, source: '^#' },
        { kind: 'numeric', negated: false, source: '^MaxAuthTries\\s+(\\d+) compare <= 4' },
      ],
    },
  });
  const d = parseRule('d:/etc/audit/rules.d -> r:\\.+.rules$ -> r:^-e 2');
  assert.equal(d.type, 'directory');
  assert.ok(d.type === 'directory' && d.fileFilter === 'r:\\.+.rules$' && d.pattern?.source === 'r:^-e 2');
  const c = parseRule('c:sshd -T -> r:^permitrootlogin no');
  assert.ok(c.type === 'command' && c.command === 'sshd -T');
  const p = parseRule('not p:auditd');
  assert.ok(p.type === 'process' && p.negated && p.pattern.minterms[0]?.kind === 'literal');
  const r = parseRule('r:HKLM\\SOFTWARE\\X -> Value -> 1');
  assert.ok(r.type === 'registry');
  assert.throws(() => parseRule('q:nothing'), /unknown type/);
});
