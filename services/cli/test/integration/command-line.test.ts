import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runVigil, writeConfigFile } from '../harness.ts';

/** Each command with words of its description and the options only it has. */
const COMMANDS: Array<{ name: string; describes: RegExp; options: string[] }> = [
  { name: 'start', describes: /the whole pipeline on this host/, options: [] },
  { name: 'collector', describes: /the collector alone/, options: [] },
  { name: 'decoder', describes: /the decoder alone/, options: [] },
  { name: 'rule-engine', describes: /the rule engine alone/, options: [] },
  { name: 'indexer', describes: /the indexer alone/, options: [] },
  { name: 'notifier', describes: /the notifier alone/, options: [] },
  { name: 'api', describes: /query API alone/, options: [] },
  { name: 'alerts', describes: /query indexed alerts/, options: ['--level <n>', '--rule <id>', '--agent <id|name>', '--group', '--compliance', '--search', '--since', '--until', '--limit <n>', '--offset <n>', '--json', '--api <url>'] },
  { name: 'agents', describes: /agents that announced themselves/, options: ['--json'] },
  { name: 'sca', describes: /SCA results of an agent/, options: ['--agent <id|name>', '--policy <id>', '--json'] },
  { name: 'dlq', describes: /dead letters/, options: ['--json', '--limit <n>'] },
  { name: 'status', describes: /disk use against its budget/, options: ['--json'] },
  { name: 'logtest', describes: /wazuh-logtest/, options: ['--ruleset <path>', '--json'] },
  { name: 'check-config', describes: /validate the configuration/, options: [] },
];

test('`vigil --help` lists every command and the exit codes, on stdout, with exit code 0', async () => {
  const { code, stdout, stderr } = await runVigil(['--help']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Usage: vigil <command> \[options\]/);
  for (const { name } of COMMANDS) assert.match(stdout, new RegExp(`\\n  ${name}[ \\[]`), `${name} listed`);
  assert.match(stdout, /-c, --config <file>/);
  assert.match(stdout, /Exit codes:\n  0  success\n  1  runtime error.*\n  2  usage error/);
});

test('`vigil <command> --help` prints that command\'s own description and options, and the global --config', async () => {
  await Promise.all(
    COMMANDS.map(async ({ name, describes, options }) => {
      const { code, stdout, stderr } = await runVigil([name, '--help']);
      assert.equal(code, 0, `${name}: ${stderr}`);
      assert.match(stdout, new RegExp(`^Usage: vigil ${name} `), `${name}: ${stdout}`);
      assert.match(stdout, describes, `${name}: ${stdout}`);
      for (const option of options) assert.ok(stdout.includes(`  ${option}`), `${name} --help shows ${option}:\n${stdout}`);
      // Options of other commands are not shown.
      if (name !== 'alerts') assert.ok(!stdout.includes('--level'), `${name} --help does not show alerts' --level`);
      if (name !== 'logtest') assert.ok(!stdout.includes('--ruleset'), `${name} --help does not show logtest's --ruleset`);
      assert.match(stdout, /-c, --config <file>/, `${name} --help shows the global --config`);
    }),
  );
  const bare = await runVigil(['help']);
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /^Usage: vigil <command>/);
  const viaHelp = await runVigil(['help', 'sca']);
  assert.equal(viaHelp.code, 0);
  assert.match(viaHelp.stdout, /^Usage: vigil sca /);
  assert.match(viaHelp.stdout, /--policy <id>/);
});

test('`vigil --version` prints the version of the root package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const { code, stdout, stderr } = await runVigil([flag]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `${version}\n`);
  }
});

test('an unknown option exits 2 and names the nearest valid option of that command', async () => {
  const { code, stdout, stderr } = await runVigil(['alerts', '--levle', '7']);
  assert.equal(code, 2, stderr);
  assert.equal(stdout, '');
  assert.equal(stderr, "vigil alerts: unknown option '--levle': did you mean --level?\nRun 'vigil alerts --help' for its options.\n");
  const global = await runVigil(['--confg', 'x.yaml', 'alerts']);
  assert.equal(global.code, 2, global.stderr);
  assert.match(global.stderr, /^vigil: unknown option '--confg': did you mean --config\?\n/);
});

test('an unknown command exits 2 and names the nearest command', async () => {
  const { code, stdout, stderr } = await runVigil(['alrets']);
  assert.equal(code, 2, stderr);
  assert.equal(stdout, '');
  assert.equal(stderr, "vigil: unknown command 'alrets': did you mean alerts?\nRun 'vigil --help' for the commands and options.\n");
  const far = await runVigil(['frobnicate']);
  assert.equal(far.code, 2);
  assert.match(far.stderr, /^vigil: unknown command 'frobnicate'\n/, 'no suggestion when nothing is near');
});

test('usage errors exit 2 before anything runs; runtime errors exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  const config = writeConfigFile(dir, { dataDir: join(dir, 'data') });
  const usage: Array<[string[], RegExp]> = [
    [[], /^Usage: vigil <command>/],
    [['alerts', '--level', 'high'], /^vigil alerts: --level: 'high' is not a whole number/],
    [['alerts', '--since', 'yesterdayish'], /^vigil alerts: --since: 'yesterdayish' is neither a duration/],
    [['alerts', '--level'], /^vigil alerts: option '--level <n>' argument missing/],
    [['sca', '-c', config], /^vigil sca: required option '--agent <id\|name>' not specified/],
    [['dlq', '--limit', 'all'], /^vigil dlq: --limit: 'all' is not a whole number/],
    [['check-config', 'extra'], /^vigil check-config: too many arguments/],
  ];
  for (const [args, message] of usage) {
    const { code, stderr } = await runVigil(args);
    assert.equal(code, 2, `vigil ${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message, `vigil ${args.join(' ')}`);
  }
  // The global option goes before or after the command; a command that fails at run time exits 1.
  for (const args of [['alerts', '-c', config], ['--config', config, 'alerts']]) {
    const { code, stderr } = await runVigil(args);
    assert.equal(code, 1, `vigil ${args.join(' ')}: ${stderr}`);
    assert.equal(stderr, `vigil: no alert database at ${join(dir, 'data', 'vigil.db')} (is the indexer running? start with: vigil start)\n`);
  }
  const { code, stdout } = await runVigil(['check-config', '-c', config]);
  assert.equal(code, 0);
  assert.equal((JSON.parse(stdout) as { dataDir: string }).dataDir, join(dir, 'data'));
});
