import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectBus, createLogger, loadConfig, NatsConfig, type Bus } from '@vigil/common';
import { useTestNats } from '@vigil/common/testing';

const CONSUMER = fileURLToPath(new URL('./consumer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
let bus: Bus;

const nats = useTestNats({
  started: async (server) => {
    bus = await connectBus(loadConfig(NatsConfig, { document: { url: server.url } }), createLogger({ level: 'warn' }), 'example-test');
  },
  stopping: async () => {
    await bus?.nc.drain();
  },
});

const alerts = [
  { id: 'a1', level: 5, agent: '001', name: 'web01', rule: '5710' },
  { id: 'a2', level: 5, agent: '002', name: 'db01', rule: '5710' },
  { id: 'a3', level: 7, agent: '002', name: 'db01', rule: '550' },
  { id: 'a4', level: 12, agent: '003', name: 'bastion', rule: '5712' },
  { id: 'a5', level: 10, agent: '003', name: 'bastion', rule: '5710' },
];

async function publish(a: (typeof alerts)[number]): Promise<void> {
  const alert = {
    timestamp: '2024-05-10T12:00:00.000+0000',
    rule: { id: a.rule, level: a.level, description: `rule ${a.rule}`, firedtimes: 1, mail: false, groups: ['test'] },
    agent: { id: a.agent, name: a.name },
    manager: { name: 'manager' },
    id: a.id,
    location: '/var/log/auth.log',
  };
  await bus.js.publish(bus.subjects.alert(a.level, a.agent, a.rule), JSON.stringify(alert), { msgID: a.id });
}

/** Runs the example as a user would and returns the alert ids it printed. */
async function runExample(durable: string, filter: string): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CONSUMER, '--durable', durable, '--filter', filter, '--idle-exit-ms', '1000'], {
    cwd: REPO,
    env: { ...process.env, NATS_URL: nats.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  assert.equal(code, 0, err);
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

test('the example consumer receives only the alerts its filter subject selects', { skip: nats.skip, timeout: 60_000 }, async () => {
  for (const a of alerts) await publish(a);
  const [byRule, byAgent, byLevel] = await Promise.all([
    runExample('ex-rule', 'hids.alerts.*.*.5710'),
    runExample('ex-agent', 'hids.alerts.*.003.*'),
    runExample('ex-level', 'hids.alerts.12.>'),
  ]);
  assert.deepEqual(byRule, ['a1', 'a2', 'a5']);
  assert.deepEqual(byAgent, ['a4', 'a5']);
  assert.deepEqual(byLevel, ['a4']);
  // A durable remembers its position: run again, only what was published since is received.
  await publish({ id: 'a6', level: 3, agent: '004', name: 'web04', rule: '5710' });
  await publish({ id: 'a7', level: 3, agent: '004', name: 'web04', rule: '550' });
  assert.deepEqual(await runExample('ex-rule', 'hids.alerts.*.*.5710'), ['a6']);
});
