import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectBus, createLogger, loadConfig, NatsConfig, partitionOf, validators, type Alert, type Bus, type DecodedEvent } from '@vigil/common';
import { natsSkipReason, startTestNats, waitFor, type NatsFixture } from '@vigil/common/testing';
import { BUILTIN_RULESET } from '@vigil/wazuh-format';
import { startRuleEngineConsumers, type RuleEngineConsumers } from '../../src/adapters/rule-engine-consumer.ts';
import { loadRulesetFiles } from '../../src/adapters/rule-files.ts';
import { bruteForceRuleOf, decodeLines, sshdLine } from '../corpus.ts';

const skip = natsSkipReason();
const PARTITIONS = 4;
const logger = createLogger({ level: 'silent' });
const { ruleset } = loadRulesetFiles([BUILTIN_RULESET]);
const bruteForce = bruteForceRuleOf(ruleset);
let nats: NatsFixture;
let bus: Bus;
let consumers: RuleEngineConsumers;

before(async () => {
  if (skip) return;
  nats = await startTestNats();
  const config = loadConfig(NatsConfig, { document: { url: nats.url, consumers: { ackWaitSeconds: 10, maxDeliver: 3, retryDelayMs: 50, batchSize: 100 } } });
  bus = await connectBus(config, logger, 'rule-engine-test');
  consumers = await startRuleEngineConsumers({
    bus,
    logger,
    tree: ruleset,
    rulesets: [BUILTIN_RULESET],
    workers: 2,
    clock: 'event',
    partitions: Array.from({ length: PARTITIONS }, (_, p) => p),
    managerName: 'test-manager',
  });
});
after(async () => {
  await consumers?.close?.();
  await bus?.nc.close();
  await nats?.dispose();
});

let seq = 0;
/** Failed logins from one address, one a second from `start`, each on the agent `agentOf(i)`. */
function burst(count: number, start: number, agentOf: (i: number) => string): DecodedEvent[] {
  return decodeLines(
    Array.from({ length: count }, (_, i) => {
      const at = new Date(start + i * 1000);
      const agent = agentOf(i);
      return { agent, at, seq: seq++, line: sshdLine(`Failed password for user${i} from 198.51.100.7 port ${40000 + i} ssh2`, `host-${agent}`, at) };
    }),
    PARTITIONS,
  );
}

async function publish(events: DecodedEvent[]): Promise<void> {
  for (const e of events) await bus.js.publish(bus.subjects.decoded(partitionOf(e.agent.id, PARTITIONS), e.agent.id), JSON.stringify(e), { msgID: e.id });
}

async function alertsOf(agents: string[]): Promise<Alert[]> {
  const out: Alert[] = [];
  const info = await bus.jsm.streams.info(bus.streams.alerts);
  for (let s = info.state.first_seq; s <= info.state.last_seq && info.state.messages > 0; s++) {
    const m = await bus.jsm.streams.getMessage(bus.streams.alerts, { seq: s }).catch(() => null);
    if (m) {
      const alert = validators.alert.parse(m.data);
      if (agents.includes(alert.agent.id)) out.push(alert);
    }
  }
  return out;
}

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);

test('a burst of failed ssh logins from one address on one agent raises the frequency rule once per window', { skip }, async () => {
  // Two bursts of 14 failures, ten minutes apart (the window is 2 minutes): one brute-force alert each.
  const events = [...burst(14, T0, () => 'edge-a'), ...burst(14, T0 + 600_000, () => 'edge-a')];
  await publish(events);
  const alerts = await waitFor(async () => {
    const a = await alertsOf(['edge-a']);
    return a.length >= events.length ? a : undefined;
  }, 30_000, 'an alert for every failed login');
  assert.equal(alerts.length, events.length, 'one alert per event');
  const fired = alerts.filter((a) => a.rule.id === bruteForce);
  assert.equal(fired.length, 2, 'once per window');
  assert.deepEqual(fired.map((a) => a.full_log?.includes('user7 ')), [true, true], 'fires on the 8th failure of each burst');
  assert.equal(fired[0]?.previous_output?.split('\n').length, 7, 'previous_output holds the 7 earlier failures');
  assert.equal(fired[0]?.rule.frequency, 8);
});

test('the same burst spread over two agents does not raise it', { skip }, async () => {
  const events = burst(14, T0 + 1_200_000, (i) => (i % 2 === 0 ? 'edge-b' : 'edge-c'));
  await publish(events);
  const alerts = await waitFor(async () => {
    const a = await alertsOf(['edge-b', 'edge-c']);
    return a.length >= events.length ? a : undefined;
  }, 30_000, 'an alert for every failed login');
  assert.equal(alerts.length, events.length);
  assert.deepEqual(alerts.filter((a) => a.rule.id === bruteForce), []);
  assert.ok(alerts.every((a) => a.rule.id === '200100'));
});
