import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { dump } from 'js-yaml';
import type { Alert } from '@vigil/common';
import { SSHD_DECODERS } from '@vigil/wazuh-format/testing';
import { REPO, VIGIL_BIN } from '../../test/harness.ts';
import { logtestCommand, type LogtestOptions, type LogtestResult, type LogtestRuleEngine } from './logtest.ts';

/** A tiny rule phase: rule 100 for any event decoded as sshd, counting firings per session. */
const countingRules: LogtestRuleEngine = {
  load(sources) {
    assert.ok(sources.length > 0, 'rule files are handed to the rule phase');
    return {
      errors: [],
      newSession() {
        let fired = 0;
        return (event) => {
          if (event.decoder?.name !== 'sshd') return { rule: null };
          fired++;
          const rule = { id: '100', level: 5, description: 'sshd event', groups: ['sshd'], firedtimes: fired };
          return { rule, alert: { rule, full_log: event.full_log } as unknown as Alert };
        };
      },
    };
  },
};

/** A small ruleset folder built in code: sshd decoders, and one rule file (its content goes to the rule phase). */
function fixtureRuleset(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logtest-'));
  mkdirSync(join(dir, 'decoders'));
  mkdirSync(join(dir, 'rules'));
  copyFileSync(SSHD_DECODERS, join(dir, 'decoders', 'sshd.xml'));
  writeFileSync(join(dir, 'rules', 'local.xml'), '<group name="local,"><rule id="100" level="5"><decoded_as>sshd</decoded_as><description>sshd event</description></rule></group>\n');
  return dir;
}
const FIXTURE = fixtureRuleset();

async function run(options: LogtestOptions, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(input);
  const code = await logtestCommand({ now: () => new Date('2026-01-01T00:00:00Z'), ...options }, { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}

const jsonLines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as LogtestResult);

test('logtest --json: pre-decoding, decoder, data, rule, one JSON object per input line', async () => {
  const { code, stdout } = await run(
    { json: true, rules: countingRules, rulesets: [FIXTURE] },
    'Dec 10 01:02:03 web sshd[1]: Failed password for root from 192.0.2.7 port 40022 ssh2\n' +
      '{"session":"s1","log":"no header here","location":"/var/log/x"}\n',
  );
  assert.equal(code, 0);
  const [first, second] = jsonLines(stdout) as [LogtestResult, LogtestResult];
  assert.deepEqual(
    { session: first.session, predecoder: first.predecoder, decoder: first.decoder, data: first.data },
    {
      session: 'default',
      predecoder: { timestamp: 'Dec 10 01:02:03', hostname: 'web', program_name: 'sshd' },
      decoder: { name: 'sshd', parent: 'sshd' },
      data: { srcip: '192.0.2.7', srcport: '40022', srcuser: 'root' },
    },
  );
  assert.deepEqual(first.rule, { id: '100', level: 5, description: 'sshd event', groups: ['sshd'], firedtimes: 1 });
  assert.equal(first.alert, true);
  assert.equal(first.output?.full_log, 'Dec 10 01:02:03 web sshd[1]: Failed password for root from 192.0.2.7 port 40022 ssh2');
  assert.deepEqual({ session: second.session, decoder: second.decoder, data: second.data, rule: second.rule, alert: second.alert }, { session: 's1', decoder: null, data: {}, rule: null, alert: false });
});

test('logtest text output shows the phases like wazuh-logtest', async () => {
  const { code, stdout } = await run({ rules: countingRules, rulesets: [FIXTURE] }, 'Dec 10 01:02:03 web sshd[1]: Invalid user bob from 192.0.2.8 port 1\nplain line\n');
  assert.equal(code, 0);
  assert.match(stdout, /\*\*Phase 1: Completed pre-decoding\.\n\tfull event: 'Dec 10 01:02:03 web sshd\[1\]: Invalid user bob from 192\.0\.2\.8 port 1'\n\ttimestamp: 'Dec 10 01:02:03'/);
  assert.match(stdout, /\*\*Phase 2: Completed decoding\.\n\tname: 'sshd'\n\tparent: 'sshd'\n\tsrcip: '192\.0\.2\.8'\n\tsrcport: '1'\n\tsrcuser: 'bob'/);
  assert.match(stdout, /\*\*Phase 3: Completed filtering \(rules\)\.\n\tid: '100'\n\tlevel: '5'\n\tdescription: 'sshd event'\n\tgroups: '\["sshd"\]'\n\tfiredtimes: '1'\n\*\*Alert to be generated\./);
  assert.match(stdout, /\*\*Phase 2: Completed decoding\.\n\tNo decoder matched\./);
});

test('logtest sessions each keep their own rule state', async () => {
  const line = 'Dec 10 01:02:03 web sshd[1]: Failed password for root from 192.0.2.7 port 40022 ssh2';
  const input = ['a', 'a', 'b', 'a'].map((session) => JSON.stringify({ session, log: line })).join('\n');
  const { stdout } = await run({ json: true, rules: countingRules, rulesets: [FIXTURE] }, input);
  assert.deepEqual(jsonLines(stdout).map((r) => [r.session, r.rule?.['firedtimes']]), [['a', 1], ['a', 2], ['b', 1], ['a', 3]]);
});

test('logtest sessions keep their own state (accumulator), a ruleset folder of XML is recognised by content', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logtest-'));
  writeFileSync(
    join(dir, 'mine.xml'),
    '<decoder name="acc"><prematch>^acc </prematch><accumulate/><regex>id=(\\S+) user=(\\S*) ip=(\\S+)</regex><order>id, srcuser, srcip</order></decoder>\n',
  );
  const input = [
    { session: 'a', log: 'acc id=1 user=alice ip=-' },
    { session: 'b', log: 'acc id=1 user=bob ip=-' },
    { session: 'a', log: 'acc id=1 user= ip=10.0.0.1' },
  ].map((o) => JSON.stringify(o)).join('\n');
  const { code, stdout } = await run({ json: true, rulesets: [dir] }, input);
  assert.equal(code, 0);
  const results = jsonLines(stdout);
  assert.deepEqual(results.map((r) => [r.session, r.data['srcuser']]), [['a', 'alice'], ['b', 'bob'], ['a', 'alice']]);
});

test('logtest refuses a malformed decoder file with file:line: what is wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logtest-'));
  mkdirSync(join(dir, 'decoders'));
  writeFileSync(join(dir, 'decoders', 'bad.xml'), '<decoder name="x">\n  <prematch>(a</prematch>\n</decoder>\n');
  const { code, stderr } = await run({ rulesets: [dir] }, 'x\n');
  assert.equal(code, 1);
  assert.match(stderr, /bad\.xml:2: decoder 'x': <prematch>: osregex pattern '\(a': '\(' without '\)'/);
});

test('logtest with the Wazuh ruleset reports Wazuh decoder names (skipped without the reference data)', async (t) => {
  const dir = process.env['WAZUH_RULESET_DIR'] ?? '/work/shared/wazuh-ruleset';
  if (!existsSync(join(dir, 'decoders'))) return t.skip(`Wazuh ruleset not found at ${dir} (set WAZUH_RULESET_DIR)`);
  const { code, stdout } = await run(
    { json: true, rulesets: [join(dir, 'decoders')] },
    '{"win":{"system":{"eventID":"4625"},"eventdata":{"targetUserName":"bob"}}}\nDec 10 01:02:03 h sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls\n',
  );
  assert.equal(code, 0);
  const [win, sudo] = jsonLines(stdout) as [LogtestResult, LogtestResult];
  assert.equal(win.decoder?.name, 'json');
  assert.deepEqual(win.data, { win: { system: { eventID: '4625' }, eventdata: { targetUserName: 'bob' } } });
  assert.deepEqual(sudo.decoder, { name: 'sudo', parent: 'sudo' });
  assert.equal(sudo.data['dstuser'], 'root');
});

test('logtest with the rulesets of a configuration: decoders from decoder.rulesets, rules from ruleEngine.rulesets', async () => {
  const decodersOnly = mkdtempSync(join(tmpdir(), 'vigil-logtest-'));
  mkdirSync(join(decodersOnly, 'decoders'));
  copyFileSync(SSHD_DECODERS, join(decodersOnly, 'decoders', 'sshd.xml'));
  // The decoder path also holds a rule file the rule engine does not load: logtest must not use it either.
  writeFileSync(join(decodersOnly, 'stray-rules.xml'), '<group name="stray,"><rule id="100999" level="5"><decoded_as>sshd</decoded_as><description>stray</description></rule></group>\n');
  const used: string[] = [];
  const recording: LogtestRuleEngine = { load: (sources, ...rest) => (used.push(...sources.map((s) => s.file)), countingRules.load(sources, ...rest)) };
  const { code, stdout } = await run(
    { json: true, rules: recording, rulesets: [decodersOnly], ruleRulesets: [FIXTURE] },
    'Dec 10 01:02:03 web sshd[1]: Failed password for root from 192.0.2.7 port 40022 ssh2\n',
  );
  assert.equal(code, 0);
  assert.deepEqual(used, [join(FIXTURE, 'rules', 'local.xml')]);
  assert.equal(jsonLines(stdout)[0]?.decoder?.name, 'sshd');
});

test('`vigil logtest --config FILE` runs the configuration rulesets, as the pipeline does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logtest-config-'));
  const configFile = join(dir, 'vigil.yaml');
  writeFileSync(configFile, dump({ dataDir: join(dir, 'data'), decoder: { rulesets: [FIXTURE] }, ruleEngine: { rulesets: [FIXTURE] } }));
  const out = execFileSync(VIGIL_BIN, ['logtest', '--json', '--config', configFile], {
    cwd: REPO,
    input: 'Dec 10 01:02:03 web sshd[1]: Failed password for root from 192.0.2.7 port 40022 ssh2\n',
    env: { ...process.env, VIGIL_CONFIG: '' },
  }).toString();
  const [result] = jsonLines(out);
  assert.deepEqual([result?.decoder?.name, result?.rule?.['id'], result?.rule?.['description']], ['sshd', '100', 'sshd event'], 'the rule of the configured ruleset, not a built-in one');
});
