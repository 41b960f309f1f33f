import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { fimAlert, scaAlert, sshdAlert } from '../fixtures/alerts.ts';
import { startNotifierConsumer } from '../../src/adapters/notifier-consumer.ts';
import { ackPending, alertsIn, capturedLogger, leadId, notifierConfig, publishAlert, useSlackAndBus } from './harness.ts';
import type { SlackStub } from './slack-stub.ts';

let slack: SlackStub;
let bus: Bus;

const nats = useSlackAndBus((s, b) => {
  slack = s;
  bus = b;
});

const pending = (durable: string) => ackPending(bus, durable);

test('a burst of one rule on one agent becomes one message, then one message with the count; all acked after', { skip: nats.skip }, async () => {
  const { logger } = capturedLogger();
  const config = notifierConfig({
    destinations: [{ name: 'burst', webhookUrl: slack.url('/burst'), filter: {}, foldWindowSeconds: 2, rateLimit: { messages: 100, perSeconds: 1 } }],
  });
  const notifier = await startNotifierConsumer({ bus, logger, config });
  try {
    for (let i = 1; i <= 10; i++) await publishAlert(bus, sshdAlert({ id: `b${i}`, timestamp: `2024-05-10T12:00:${String(i).padStart(2, '0')}.000+0000` }));
    await publishAlert(bus, sshdAlert({ id: 'other', data: { srcip: '5.6.7.8', srcuser: 'root' } }));
    await waitFor(() => slack.accepted('/burst').length === 2, 5000, 'the first alert of each source IP posted at once');
    assert.deepEqual(slack.accepted('/burst').map((p) => leadId(p.body)), ['b1', 'other'], 'a second attacker is paged on its own');
    await waitFor(async () => (await pending('notifier-burst')) === 9, 1800, 'the folded alerts held unacked until their message is accepted');
    assert.equal(slack.accepted('/burst').length, 2);
    await waitFor(() => slack.accepted('/burst').length === 3, 5000, 'the folded message');
    const folded = slack.accepted('/burst')[2]!.body;
    assert.equal(folded.text, '[level 5] rule 5710 on web01 ×9: sshd: Attempt to login using a non-existent user');
    assert.match(JSON.stringify(folded), /Rule 5710 fired \*9\* more times on web01 from 2024-05-10T12:00:02.000\+0000 to 2024-05-10T12:00:10.000\+0000/);
    assert.match(JSON.stringify(folded), /\*Source IPs\*: 1.2.3.4 ×9\\n\*Users\*: admin ×9/);
    assert.equal(leadId(folded), 'b10');
    await waitFor(async () => (await pending('notifier-burst')) === 0, 5000, 'everything acked');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(slack.accepted('/burst').length, 3, 'no further message');
  } finally {
    await notifier.stop();
  }
});

test('the rate limit queues, never drops, and folds only alerts of the same rule and source into one message', { skip: nats.skip }, async () => {
  const { logger } = capturedLogger();
  const config = notifierConfig({
    destinations: [{ name: 'limited', webhookUrl: slack.url('/limited'), filter: {}, foldWindowSeconds: 0, rateLimit: { messages: 1, perSeconds: 1 } }],
  });
  const notifier = await startNotifierConsumer({ bus, logger, config });
  try {
    const alerts = [
      sshdAlert({ id: 'r1' }),
      sshdAlert({ id: 'r2', agent: { id: '005', name: 'web05' } }),
      fimAlert({ id: 'r3' }),
      fimAlert({ id: 'r4' }),
      scaAlert({ id: 'r5', rule: { level: 10 } }),
      sshdAlert({ id: 'r6' }),
    ];
    await publishAlert(bus, alerts[0]!);
    await waitFor(() => slack.accepted('/limited').length === 1, 5000, 'the first message');
    for (const a of alerts.slice(1)) await publishAlert(bus, a);
    await waitFor(() => slack.accepted('/limited').length === 4, 10000, 'four messages: one per rule and source');
    const [first, second, third, fourth] = slack.accepted('/limited');
    assert.equal(leadId(first!.body), 'r1');
    assert.ok(second!.at - first!.at >= 900, 'the second message waited for the rate limit');
    assert.equal(leadId(second!.body), 'r5', 'the highest level of what waited is shown in full');
    assert.doesNotMatch(second!.body.text, /more\)$/, 'nothing of another rule folded into it');
    assert.equal(leadId(third!.body), 'r3');
    assert.match(third!.body.text, /\(\+1 more\)$/);
    assert.equal(leadId(fourth!.body), 'r2');
    assert.match(JSON.stringify(fourth!.body), /\*1\* more alert was folded into this message by the rate limit/);
    assert.match(JSON.stringify(fourth!.body), /\*Source IPs\*: 1.2.3.4 ×2/);
    assert.equal(slack.accepted('/limited').reduce((n, p) => n + alertsIn(p.body.text), 0), alerts.length, 'every alert accounted for once');
    await waitFor(async () => (await pending('notifier-limited')) === 0, 5000, 'everything acked');
  } finally {
    await notifier.stop();
  }
});

test('within the rate limit, every alert is its own message', { skip: nats.skip }, async () => {
  const { logger } = capturedLogger();
  const config = notifierConfig({
    destinations: [{ name: 'roomy', webhookUrl: slack.url('/roomy'), filter: {}, foldWindowSeconds: 0, rateLimit: { messages: 20, perSeconds: 1 } }],
  });
  const notifier = await startNotifierConsumer({ bus, logger, config });
  try {
    for (let i = 1; i <= 8; i++) await publishAlert(bus, sshdAlert({ id: `room-${i}`, rule: { id: `81${i}` } }));
    await waitFor(() => slack.accepted('/roomy').length === 8, 5000, 'eight messages');
    assert.deepEqual(slack.accepted('/roomy').map((r) => leadId(r.body)), ['room-1', 'room-2', 'room-3', 'room-4', 'room-5', 'room-6', 'room-7', 'room-8']);
  } finally {
    await notifier.stop();
  }
});
