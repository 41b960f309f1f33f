import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { sshdAlert } from '../fixtures/alerts.ts';
import { startNotifierConsumer } from '../../src/adapters/notifier-consumer.ts';
import { ackPending, capturedLogger, leadId, notifierConfig, publishAlert, useSlackAndBus } from './harness.ts';
import type { SlackStub } from './slack-stub.ts';

let slack: SlackStub;
let bus: Bus;

const nats = useSlackAndBus((s, b) => {
  slack = s;
  bus = b;
});

const fast = { foldWindowSeconds: 0, rateLimit: { messages: 100, perSeconds: 1 } };
const pending = (durable: string) => ackPending(bus, durable);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('429 with Retry-After: waits as told, then exactly one message is posted', { skip: nats.skip }, async () => {
  slack.script('/slow', [{ status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' }]);
  const { logger } = capturedLogger();
  const notifier = await startNotifierConsumer({
    bus,
    logger,
    config: notifierConfig({ destinations: [{ name: 'slow', webhookUrl: slack.url('/slow'), filter: {}, ...fast }] }),
  });
  try {
    await publishAlert(bus, sshdAlert({ id: 'rl-1' }));
    await waitFor(() => slack.accepted('/slow').length === 1, 5000, 'the post after Retry-After');
    const tries = slack.requests.filter((r) => r.path === '/slow');
    assert.deepEqual(tries.map((r) => r.status), [429, 200]);
    assert.ok(tries[1]!.at - tries[0]!.at >= 950, `waited ${tries[1]!.at - tries[0]!.at} ms, Retry-After said 1 s`);
    assert.equal(leadId(tries[1]!.body), 'rl-1');
    await waitFor(async () => (await pending('notifier-slow')) === 0, 3000, 'acked once accepted');
    await sleep(1500); // longer than the ack wait: a redelivery would show up now
    assert.equal(slack.requests.filter((r) => r.path === '/slow').length, 2);
  } finally {
    await notifier.stop();
  }
});

test('500 then success: backs off exponentially and posts once; not acked before Slack accepted', { skip: nats.skip }, async () => {
  slack.script('/flaky', [{ status: 500 }, { status: 502 }, { status: 503 }]);
  const { logger } = capturedLogger();
  const notifier = await startNotifierConsumer({
    bus,
    logger,
    config: notifierConfig({ destinations: [{ name: 'flaky', webhookUrl: slack.url('/flaky'), filter: {}, ...fast }] }),
  });
  try {
    await publishAlert(bus, sshdAlert({ id: 'flaky-1' }));
    await waitFor(() => slack.requests.filter((r) => r.path === '/flaky').length >= 1, 3000, 'first attempt');
    assert.equal(await pending('notifier-flaky'), 1, 'held unacked while Slack fails');
    await waitFor(() => slack.accepted('/flaky').length === 1, 5000, 'success after the back-off');
    const tries = slack.requests.filter((r) => r.path === '/flaky');
    assert.deepEqual(tries.map((r) => r.status), [500, 502, 503, 200]);
    const gaps = tries.slice(1).map((r, i) => r.at - tries[i]!.at);
    // firstRetryMs 100, doubling: 100, 200, 400 (capped at maxRetryMs 400).
    assert.ok(gaps[0]! >= 90 && gaps[1]! >= 190 && gaps[2]! >= 390, `gaps ${gaps.join(', ')}`);
    assert.ok(gaps[2]! > gaps[0]!, 'the delay grows');
    await waitFor(async () => (await pending('notifier-flaky')) === 0, 3000, 'acked');
    await sleep(1500);
    assert.equal(slack.accepted('/flaky').length, 1);
  } finally {
    await notifier.stop();
  }
});

test('a destination that stays down does not block another; its webhook URL never appears in the logs', { skip: nats.skip }, async () => {
  const secretPath = '/services/T0001/B0001/SeCrEtToKeN';
  slack.script(secretPath, [], { status: 500, body: 'internal' });
  const captured = capturedLogger();
  const notifier = await startNotifierConsumer({
    bus,
    logger: captured.logger,
    config: notifierConfig({
      destinations: [
        { name: 'down', webhookUrl: slack.url(secretPath), filter: {}, ...fast },
        { name: 'up', webhookUrl: slack.url('/up'), filter: {}, ...fast },
      ],
    }),
  });
  try {
    for (let i = 1; i <= 5; i++) {
      await publishAlert(bus, sshdAlert({ id: `iso-${i}`, rule: { id: `90${i}` } }));
      await sleep(50);
    }
    await waitFor(() => slack.accepted('/up').length === 5, 5000, 'the healthy destination received every alert');
    assert.deepEqual(slack.accepted('/up').map((r) => leadId(r.body)), ['iso-1', 'iso-2', 'iso-3', 'iso-4', 'iso-5']);
    await sleep(1200);
    assert.equal(slack.accepted(secretPath).length, 0);
    assert.ok(slack.requests.filter((r) => r.path === secretPath).length >= 3, 'the down destination keeps retrying');
    assert.equal(await pending('notifier-down'), 5, 'nothing acked for the down destination: nothing lost');
    assert.equal(await pending('notifier-up'), 0);
    const logs = captured.text();
    assert.match(logs, /post failed; backing off/);
    assert.match(logs, /Slack answered 500/);
    assert.doesNotMatch(logs, /SeCrEtToKeN|T0001|B0001/);
  } finally {
    await notifier.stop();
  }
  assert.doesNotMatch(captured.text(), /SeCrEtToKeN/);
});

test('a permanent refusal (404) sends the alert to the dead-letter stream and acks it', { skip: nats.skip }, async () => {
  slack.script('/gone', [], { status: 404, body: 'no_service' });
  const { logger } = capturedLogger();
  const notifier = await startNotifierConsumer({
    bus,
    logger,
    config: notifierConfig({ destinations: [{ name: 'gone', webhookUrl: slack.url('/gone'), filter: {}, ...fast }] }),
  });
  try {
    await publishAlert(bus, sshdAlert({ id: 'gone-1' }));
    await waitFor(async () => (await bus.jsm.streams.info(bus.streams.dlq)).state.messages >= 1, 5000, 'a dead letter');
    const letter = await bus.jsm.streams.getMessage(bus.streams.dlq, { last_by_subj: 'hids.dlq.notifier-gone.SINK_FAILED' });
    const body = letter?.json<{ reason: string; code: string }>();
    assert.equal(body?.code, 'SINK_FAILED');
    assert.match(body?.reason ?? '', /alert gone-1: Slack answered 404: no_service/);
    await waitFor(async () => (await pending('notifier-gone')) === 0, 3000, 'acked');
    assert.equal(slack.requests.filter((r) => r.path === '/gone').length, 1, 'not retried');
  } finally {
    await notifier.stop();
  }
});

test('an alert delivered again (redelivery, replay, a second copy) is recognised by id and never posted twice', { skip: nats.skip }, async () => {
  const { logger } = capturedLogger();
  const config = notifierConfig({ destinations: [{ name: 'dedupe', webhookUrl: slack.url('/dedupe'), filter: {}, ...fast }] });
  let notifier = await startNotifierConsumer({ bus, logger, config });
  const alert = sshdAlert({ id: 'dup-1' });
  const publishCopy = (n: number) =>
    bus.js.publish(bus.subjects.alert(alert.rule.level, alert.agent.id, alert.rule.id), JSON.stringify(alert), { msgID: `copy-${n}` });
  try {
    await publishCopy(1);
    await waitFor(() => slack.accepted('/dedupe').length === 1, 5000, 'posted');
    await publishCopy(2); // same alert id, stored again by JetStream (another message id)
    await notifier.stop();
    notifier = await startNotifierConsumer({ bus, logger, config });
    await publishCopy(3);
    await waitFor(async () => (await pending('notifier-dedupe')) === 0 && notifier.destinations[0]!.stats.duplicates >= 1, 5000, 'copies acked');
    await sleep(300);
    assert.equal(slack.accepted('/dedupe').length, 1);
  } finally {
    await notifier.stop();
  }
});

test('an invalid alert goes to the dead-letter stream with its reason and is not posted', { skip: nats.skip }, async () => {
  const { logger } = capturedLogger();
  const notifier = await startNotifierConsumer({
    bus,
    logger,
    config: notifierConfig({ destinations: [{ name: 'strict', webhookUrl: slack.url('/strict'), filter: {}, ...fast }] }),
  });
  try {
    await bus.js.publish(bus.subjects.alert(5, '001', '5710'), JSON.stringify({ id: 'broken', rule: { id: '5710' } }));
    await waitFor(async () => (await pending('notifier-strict')) === 0 && notifier.destinations[0]!.stats.deadLettered === 1, 5000, 'dead-lettered');
    const letter = await bus.jsm.streams.getMessage(bus.streams.dlq, { last_by_subj: 'hids.dlq.notifier.EVENT_INVALID' });
    assert.match(letter?.json<{ reason: string }>().reason ?? '', /invalid alert: field/);
    assert.equal(slack.requests.filter((r) => r.path === '/strict').length, 0);
  } finally {
    await notifier.stop();
  }
});
