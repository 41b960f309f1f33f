import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { SERVICE_NAMES, startServices } from '../../src/services.ts';
import { responsesCommand } from '../../src/commands/responses.ts';
import { sshdLine, testConfig, testConfigDocument } from '../harness.ts';
import { makeNamespacePair, netnsSkipReason } from './network-namespace.ts';

const nats = useTestNats();
const skip = nats.skip ?? netnsSkipReason();
if (skip) console.log(`# skipping active-response namespace tests: ${skip}`);

function nftSet(ns: string): string {
  try {
    return execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'set', 'inet', 'vigil', 'blocked4'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

test('an sshd brute force puts the attacker in the nftables drop set of the namespace, its traffic is dropped, and the block is reverted on time; both are alerts', { skip }, async () => {
  const pair = makeNamespacePair();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ar-'));
  const auth = join(dir, 'auth.log');
  writeFileSync(auth, '');
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [auth] });
  const collector = document['collector'] as Record<string, unknown>;
  collector['activeResponse'] = { enabled: true, firewall: 'nftables', commandPrefix: ['ip', 'netns', 'exec', pair.target], revertCheckMs: 200 };
  document['responder'] = {
    responses: [{ name: 'ssh-block', command: 'firewall-drop', rules: ['200120'], timeoutSeconds: 4, dryRun: false }],
  };
  const config = testConfig(document);
  const running = await startServices(SERVICE_NAMES, config, createLogger({ level: 'warn' }));
  try {
    await waitFor(() => pair.probe(), 20_000, 'the probe to connect before any block');
    const lines = Array.from({ length: 10 }, (_, i) => sshdLine(`Failed password for invalid user guest${i} from ${pair.attackerIp} port ${40000 + i} ssh2`));
    appendFileSync(auth, `${lines.join('\n')}\n`);

    await waitFor(() => nftSet(pair.target).includes(pair.attackerIp), 60_000, `${pair.attackerIp} in the drop set`);
    assert.match(nftSet(pair.target), /timeout 4s/);
    assert.equal(pair.probe(), false, 'traffic from the attacker is dropped');
    // vigil responses --active: what is blocked where, until when, and why.
    const listed: string[] = [];
    assert.equal(await responsesCommand(config, createLogger({ level: 'warn' }), { active: true }, (l) => listed.push(l)), 0);
    assert.equal(listed.length, 1);
    assert.match(listed[0] as string, new RegExp(`^agent-1  ssh-block \\(firewall-drop\\) ${pair.attackerIp.replaceAll('.', '\\.')}  since .* until .*  ACTIVE  alert .* rule 200120: `));

    await waitFor(() => !nftSet(pair.target).includes(pair.attackerIp), 60_000, `${pair.attackerIp} out of the drop set after the timeout`);
    await waitFor(() => pair.probe(), 20_000, 'the probe to connect again after the revert');
    const after: string[] = [];
    await responsesCommand(config, createLogger({ level: 'warn' }), { active: true }, (l) => after.push(l));
    assert.deepEqual(after, ['no active response in force']);

    // The action and the revert are alerts of their own (201300, 201301), indexed like any other.
    const db = new Database(config.indexer.sqlite.path, { readonly: true, fileMustExist: false });
    const rules = () => (db.prepare("SELECT rule_id FROM alerts WHERE rule_id LIKE '2013%'").all() as Array<{ rule_id: string }>).map((r) => r.rule_id).sort();
    await waitFor(() => rules().includes('201300') && rules().includes('201301'), 60_000, 'alerts 201300 and 201301 indexed');
    const executed = db.prepare("SELECT json FROM alerts WHERE rule_id = '201300'").get() as { json: string };
    const alert = JSON.parse(executed.json) as { data: Record<string, string>; rule: { groups: string[] } };
    assert.equal(alert.data['srcip'], pair.attackerIp);
    assert.equal(alert.data['ar_response'], 'ssh-block');
    assert.ok(alert.rule.groups.includes('active_response'));
    db.close();
  } finally {
    await running.stop();
    pair.dispose();
  }
});
