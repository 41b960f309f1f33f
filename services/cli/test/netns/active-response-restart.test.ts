import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectBus, createLogger, loadConfig, NatsConfig, type ArCommand } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { spawnVigil, stopChild, testConfigDocument, writeConfigFile } from '../harness.ts';
import { makeNamespacePair, netnsSkipReason } from './network-namespace.ts';

const nats = useTestNats();
const skip = nats.skip ?? netnsSkipReason();

function iptablesDrops(ns: string, address: string): boolean {
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-C', 'INPUT', '-s', address, '-j', 'DROP'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a collector killed with SIGKILL between the block and its revert reverts on time once restarted (iptables: no kernel timeout to help)', { skip }, async () => {
  const pair = makeNamespacePair();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ar-kill-'));
  const agent = 'ar-kill';
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [] });
  document['agent'] = { id: agent, name: agent };
  (document['collector'] as Record<string, unknown>)['activeResponse'] = {
    enabled: true,
    firewall: 'iptables',
    commandPrefix: ['ip', 'netns', 'exec', pair.target],
    revertCheckMs: 100,
  };
  const file = writeConfigFile(dir, document);
  const bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url } }), createLogger({ level: 'silent' }), 'ar-kill-test');
  let child = spawnVigil(['collector', '--config', file], {});
  try {
    const command: ArCommand = {
      id: `1765015300.1:block:${agent}`,
      version: 1,
      response: 'block',
      command: 'firewall-drop',
      agent,
      srcip: pair.attackerIp,
      timeoutSeconds: 3,
      dryRun: false,
      offense: 1,
      issuedAt: new Date().toISOString(),
      alert: { id: '1765015300.1', rule: { id: '200120', level: 10, description: 'sshd: brute force' }, agent: { id: agent, name: agent } },
    };
    await bus.js.publish(bus.subjects.ar(agent), JSON.stringify(command), { msgID: command.id });
    await waitFor(() => iptablesDrops(pair.target, pair.attackerIp), 60_000, `iptables dropping ${pair.attackerIp} (${child.output()})`);
    assert.equal(pair.probe(), false);
    await stopChild(child, 'SIGKILL');
    // Nothing reverts while no collector runs; wait past the revert time.
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(iptablesDrops(pair.target, pair.attackerIp), true, 'still blocked while the collector is down');
    child = spawnVigil(['collector', '--config', file], {});
    await waitFor(() => !iptablesDrops(pair.target, pair.attackerIp), 60_000, `the block reverted by the restarted collector (${child.output()})`);
    await waitFor(() => pair.probe(), 20_000, 'the probe to connect again');
  } finally {
    await stopChild(child);
    await bus.nc.drain();
    pair.dispose();
  }
});
