import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Alert } from '@vigil/common';
import { logtestRules } from '@vigil/rule-engine';
import { rulesetTree, SSHD_DECODERS } from '@vigil/wazuh-format/testing';
import { readFileSync } from 'node:fs';
import { inputLines } from './input-lines.ts';
import { logtestCommand, type LogtestOptions } from './logtest.ts';

// `vigil logtest --ossec-conf FILE [--semantics ossec] [--alerts-only]` with the real rule phase.

async function run(options: LogtestOptions, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(input);
  const code = await logtestCommand({ now: () => new Date('2026-01-01T00:00:00Z'), rules: logtestRules, ...options }, { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}

/** An OSSEC installation: sshd decoders in etc/, two rule files whose include order is not their name order. */
function install(): string {
  const base = rulesetTree({
    'etc/decoder.xml': readFileSync(SSHD_DECODERS, 'utf8'),
    'rules/z_base_rules.xml': '<group name="sshd,"><rule id="100" level="0"><decoded_as>sshd</decoded_as><description>sshd</description></rule></group>',
    'rules/a_fail_rules.xml': `<group name="sshd,">
<rule id="101" level="5"><if_sid>100</if_sid><match>Failed password</match><description>failed password</description></rule>
<rule id="102" level="10" frequency="2" timeframe="120"><if_matched_sid>101</if_matched_sid><same_source_ip /><description>many failures</description></rule>
</group>`,
  });
  writeFileSync(join(base, 'etc', 'ossec.conf'), '<ossec_config>\n  <rules>\n    <include>z_base_rules.xml</include>\n    <include>a_fail_rules.xml</include>\n  </rules>\n</ossec_config>\n');
  return join(base, 'etc', 'ossec.conf');
}

const FAILED = (i: number) => `Dec 10 01:02:0${i} web sshd[1]: Failed password for root from 192.0.2.7 port 4002${i} ssh2`;
const ruleIdsOf = (stdout: string) => stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).rule.id);

test('logtest --ossec-conf loads in include order; --alerts-only prints one alert JSON per alert; --semantics ossec counts as OSSEC', async () => {
  const conf = install();
  const input = [0, 1, 2, 3, 4].map(FAILED).join('\n') + '\nDec 10 01:02:09 web sshd[1]: Accepted password for root\n';
  const wazuh = await run({ ossecConf: conf, alertsOnly: true }, input);
  assert.equal(wazuh.code, 0, wazuh.stderr);
  // frequency 2: Wazuh fires from the 2nd failure on (the events it fired on go to 102's list, not 101's).
  assert.deepEqual(ruleIdsOf(wazuh.stdout), ['101', '102', '102', '102', '102']);
  const ossec = await run({ ossecConf: conf, alertsOnly: true, semantics: 'ossec' }, input);
  // OSSEC fires on the (2 + 2)-th; then the mark on the newest counted event stops the 5th's search.
  assert.deepEqual(ruleIdsOf(ossec.stdout), ['101', '101', '101', '102', '101']);
  // Without --alerts-only, every line is shown (the level-0 accepted line too).
  const all = await run({ ossecConf: conf, json: true }, input);
  assert.equal(all.stdout.trim().split('\n').length, 6);
});

test('logtest --ossec-conf reports a configuration problem with file:line and exits 1', async () => {
  const base = rulesetTree({ 'etc/ossec.conf': '<ossec_config>\n<rules>\n<include>nowhere.xml</include>\n</rules>\n</ossec_config>' });
  const r = await run({ ossecConf: join(base, 'etc', 'ossec.conf') }, '');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ossec\.conf:3: cannot read .*nowhere\.xml/);
});

test('input lines: split across chunks, CRLF, a last line without a newline, multi-byte characters split in two', async () => {
  const bytes = Buffer.from('a\r\nbé\nc', 'utf8');
  const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)];
  const got: string[] = [];
  for await (const { lines } of inputLines(Readable.from(chunks))) got.push(...lines);
  assert.deepEqual(got, ['a', 'bé', 'c']);
});

test('a line sent on its own is answered before the input ends (interactive use)', async () => {
  const conf = install();
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const done = logtestCommand({ now: () => new Date('2026-01-01T00:00:00Z'), rules: logtestRules, ossecConf: conf, alertsOnly: true }, { stdin, stdout, stderr });
  const answer = new Promise<string>((resolve) => stdout.once('data', (c: Buffer) => resolve(c.toString())));
  stdin.write(`${FAILED(0)}\n`);
  assert.deepEqual(ruleIdsOf(await answer), ['101']);
  stdin.end();
  assert.equal(await done, 0);
});
