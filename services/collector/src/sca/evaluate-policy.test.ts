import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCheck, evaluatePolicy, evaluateRules, scoreOf } from './evaluate-policy.ts';
import { fixtureHost, makeRoot, type FixtureEntry, type FixtureRoot } from './fixture-host.ts';
import type { CommandOutcome } from './host-access.ts';
import { parsePolicy } from './parse-policy.ts';
import { parseRule } from './parse-rule.ts';
import type { CheckOutcome, ScaPolicy } from './policy-types.ts';

/*
 * Real checks, read at test time from Wazuh's own policies (never copied here), evaluated on fixture roots
 * built as real files. Commands are answered from a table; running them is command-runner.test.ts's job.
 */

const WAZUH_SCA = join(process.env['WAZUH_RULESET_DIR'] ?? '/work/shared/wazuh-ruleset', 'sca');
const GENERIC = 'generic/sca_distro_independent_linux.yml';
const DEBIAN10 = 'debian/cis_debian10.yml';
const WINDOWS = 'windows/cis_win2022.yml';
const present = existsSync(WAZUH_SCA);
const skip = present ? false : `${WAZUH_SCA} not found (set WAZUH_RULESET_DIR)`;

const policies = new Map<string, ScaPolicy>();
function policy(file: string): ScaPolicy {
  let p = policies.get(file);
  if (!p) {
    const path = join(WAZUH_SCA, file);
    p = parsePolicy(path, readFileSync(path, 'utf8'));
    policies.set(file, p);
  }
  return p;
}

const roots: FixtureRoot[] = [];
after(() => roots.forEach((r) => r.cleanup()));

/** Evaluates check `id` of a Wazuh policy on a fresh fixture root. */
async function run(file: string, id: number, tree: Record<string, FixtureEntry>, commands: Record<string, string | CommandOutcome> = {}): Promise<CheckOutcome> {
  const p = policy(file);
  const check = p.checks.find((c) => c.id === id);
  assert.ok(check, `check ${id} is in ${file}`);
  const root = makeRoot(tree);
  roots.push(root);
  return evaluateCheck(check, p, fixtureHost(root, commands));
}

async function result(file: string, id: number, tree: Record<string, FixtureEntry>, commands: Record<string, string | CommandOutcome> = {}) {
  const o = await run(file, id, tree, commands);
  return o.reason === undefined ? o.result : `${o.result}: ${o.reason}`;
}

test('f: -> n: compare <= (36164, password expiration)', { skip }, async () => {
  assert.equal(await result(GENERIC, 36164, { '/etc/login.defs': '# PASS_MAX_DAYS 99999\nPASS_MAX_DAYS\t90\n' }), 'passed');
  assert.equal(await result(GENERIC, 36164, { '/etc/login.defs': 'PASS_MAX_DAYS 99999\n' }), 'failed');
  assert.equal(await result(GENERIC, 36164, {}), "not applicable: Could not open file '/etc/login.defs'");
});

test("n: operators starting with '=' mean equality, as in Wazuh (Debian 10 check 2652: 'compare => 2')", { skip }, async () => {
  assert.equal(await result(DEBIAN10, 2652, { '/etc/security/pwquality.conf': 'difok = 2\n' }), 'passed');
  assert.equal(await result(DEBIAN10, 2652, { '/etc/security/pwquality.conf': 'difok = 3\n' }), 'failed', "'=>' is not '>='");
  assert.equal(await result(DEBIAN10, 2652, { '/etc/security/pwquality.conf': '# difok = 2\n' }), 'failed', '!r:^# && n: on the same line');
});

test('two n: comparisons joined by && on one line (36153, SSH idle timeout)', { skip }, async () => {
  const sshd = (interval: number, count: number) => ({ 'sshd -T': `port 22\nclientaliveinterval ${interval}\nclientalivecountmax ${count}\n` });
  assert.equal(await result(GENERIC, 36153, {}, sshd(300, 3)), 'passed');
  assert.equal(await result(GENERIC, 36153, {}, sshd(0, 3)), 'failed', '!= 0');
  assert.equal(await result(GENERIC, 36153, {}, sshd(600, 3)), 'failed', '<= 300');
});

test('any: a command or the file (36144, MaxAuthTries), OS_Regex is case-insensitive', { skip }, async () => {
  assert.equal(await result(GENERIC, 36144, {}, { 'sshd -T': 'maxauthtries 3\n' }), 'passed');
  assert.equal(await result(GENERIC, 36144, { '/etc/ssh/sshd_config': 'MaxAuthTries 6\n' }, { 'sshd -T': 'maxauthtries 6\n' }), 'failed');
  assert.equal(await result(GENERIC, 36144, { '/etc/ssh/sshd_config': 'MaxAuthTries 4\n' }, { 'sshd -T': 'maxauthtries 6\n' }), 'passed');
});

test('not f: -> r: and not f: under any (36040, message of the day)', { skip }, async () => {
  assert.equal(await result(GENERIC, 36040, {}), 'passed', 'no /etc/motd at all');
  assert.equal(await result(GENERIC, 36040, { '/etc/motd': 'Authorized use only.\n' }), 'passed');
  assert.equal(await result(GENERIC, 36040, { '/etc/motd': 'Welcome to \\m running \\r\n' }), 'failed');
});

test('none: a content rule on a missing file is not applicable (36041, /etc/issue)', { skip }, async () => {
  assert.equal(await result(GENERIC, 36041, { '/etc/issue': 'Authorized use only.\n' }), 'passed');
  assert.equal(await result(GENERIC, 36041, { '/etc/issue': '\\S\nKernel \\r on an \\m\n' }), 'failed');
  assert.equal(await result(GENERIC, 36041, {}), "not applicable: Could not open file '/etc/issue'");
});

test('d: -> r:file -> pattern chains, nested directories, name filter (36122, sudoers audit rules)', { skip }, async () => {
  const both = '-w /etc/sudoers -p wa -k scope\n-w /etc/sudoers.d -p wa -k scope\n';
  const loaded = { 'auditctl -l': both }; // the rules in force, as the last two rules ask
  assert.equal(await result(GENERIC, 36122, { '/etc/audit/rules.d/50-scope.rules': both }, loaded), 'passed');
  assert.equal(await result(GENERIC, 36122, { '/etc/audit/rules.d/50-scope.rules': '-w /etc/sudoers -p wa -k scope\n' }, loaded), 'failed');
  assert.equal(await result(GENERIC, 36122, { '/etc/audit/rules.d/site/50-scope.rules': both }, loaded), 'passed', 'Wazuh descends into sub-directories');
  assert.equal(await result(GENERIC, 36122, { '/etc/audit/rules.d/50-scope.txt': both }, loaded), 'failed', 'only *.rules files are read');
  assert.equal(
    await result(GENERIC, 36122, { '/etc/audit/rules.d/50-scope.rules': { link: '/usr/share/audit/scope.rules' }, '/usr/share/audit/scope.rules': both }, loaded),
    'passed',
    'a link is followed inside the root',
  );
  assert.equal(await result(GENERIC, 36122, {}, loaded), 'failed', 'no directory: the first rule (existence) is not found');
  assert.equal(await result(GENERIC, 36122, { '/etc/audit/rules.d/50-scope.rules': both }, { 'auditctl -l': 'No rules\n' }), 'failed');
});

test('d: existence, not d: with !r: (36124, immutable audit configuration)', { skip }, async () => {
  assert.equal(await result(GENERIC, 36124, { '/etc/audit/rules.d/99-finalize.rules': '-e 2\n' }), 'passed');
  assert.match(await result(GENERIC, 36124, {}), /^not applicable: Could not open dir '\/etc\/audit\/rules.d'/);
});

test('any over c:, f: and d: -> r:\\.+ -> ... : not applicable beats failed (36031, ASLR)', { skip }, async () => {
  const sysctl = (v: number) => ({ 'sysctl kernel.randomize_va_space': `kernel.randomize_va_space = ${v}\n` });
  assert.equal(await result(GENERIC, 36031, {}, sysctl(2)), 'passed');
  assert.equal(await result(GENERIC, 36031, { '/etc/sysctl.d/10-aslr.conf': 'kernel.randomize_va_space = 2\n' }, sysctl(0)), 'passed');
  assert.equal(await result(GENERIC, 36031, { '/etc/sysctl.conf': '# nothing\n', '/etc/sysctl.d/10-aslr.conf': 'kernel.randomize_va_space=1\n' }, sysctl(0)), 'failed');
  assert.equal(await result(GENERIC, 36031, { '/etc/sysctl.d/10-aslr.conf': 'kernel.randomize_va_space=1\n' }, sysctl(0)), "not applicable: Could not open file '/etc/sysctl.conf'");
});

test('p: processes are read from the root\'s /proc (36111, auditd running)', { skip }, async () => {
  const disabled = { 'systemctl is-enabled auditd': 'disabled\n' };
  assert.equal(await result(GENERIC, 36111, { '/proc/412/comm': 'auditd\n', '/proc/412/cmdline': '/sbin/auditd\0' }, disabled), 'passed');
  assert.equal(await result(GENERIC, 36111, { '/proc/1/comm': 'systemd\n', '/proc/1/cmdline': '/sbin/init\0' }, disabled), 'failed');
});

test('a command that cannot run makes its rule not applicable with the reason', { skip }, async () => {
  const o = await run(GENERIC, 36110, {});
  assert.deepEqual(o, {
    id: 36110,
    result: 'not applicable',
    reason: "Invalid path or wrong permissions to run command 'which auditd' (exit code 127)",
    targets: { file: [], directory: [], command: ['which auditd'], process: [], registry: [] },
  });
});

test('r: registry rules parse and are not applicable on Linux (Windows Server 2022, 27004)', { skip }, async () => {
  const o = await run(WINDOWS, 27004, {});
  assert.equal(o.result, 'not applicable');
  assert.match(o.reason ?? '', /Registry rules apply to Windows only/);
});

test('a policy whose requirements are not met is not scanned; otherwise every check is scored', async () => {
  const p = parsePolicy(
    '/x/req.yml',
    `policy: {id: req, file: req.yml, name: Req, description: d}
requirements: {title: "Debian host", description: d, condition: all, rules: ["f:/etc/debian_version"]}
checks:
  - {id: 1, title: a, condition: all, rules: ["f:/etc/a"]}
  - {id: 2, title: b, condition: all, rules: ["f:/etc/b"]}
  - {id: 3, title: c, condition: all, rules: ["f:/etc/c -> r:x"]}
`,
  );
  const bare = makeRoot({});
  const debian = makeRoot({ '/etc/debian_version': '12.5\n', '/etc/a': '' });
  roots.push(bare, debian);
  assert.deepEqual(await evaluatePolicy(p, fixtureHost(bare)), {
    policyId: 'req',
    status: 'requirements not satisfied',
    skippedReason: 'Debian host (not met)',
    checks: [],
    passed: 0,
    failed: 0,
    notApplicable: 0,
    score: 0,
  });
  const scan = await evaluatePolicy(p, fixtureHost(debian));
  assert.deepEqual(
    scan.checks.map((c) => [c.id, c.result]),
    [
      [1, 'passed'],
      [2, 'failed'],
      [3, 'not applicable'],
    ],
  );
  assert.equal(scan.score, 50);
  assert.equal(scoreOf(2, 1), 66);
  assert.equal(scoreOf(0, 0), 0);
});

test('a c: rule without a pattern is found without running anything, as in Wazuh', async () => {
  const fixture = makeRoot({});
  roots.push(fixture);
  const host = fixtureHost(fixture);
  const e = await evaluateRules('all', [parseRule('c:apt list iptables-> r:installed')], host);
  assert.equal(e.result, 'passed');
  assert.deepEqual(host.commands.ran, []);
});
