import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, Bus } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { sshdAlert } from '../fixtures/alerts.ts';
import { startNotifierConsumer } from '../../src/adapters/notifier-consumer.ts';
import type { WebhookPayload } from '../../src/core/webhook-payload.ts';
import { ackPending, capturedLogger, notifierConfig, publishAlert, useSlackAndBus } from './harness.ts';

let bus: Bus;
const nats = useSlackAndBus((_slack, b) => {
  bus = b;
});

const SECRET = 'a-shared-webhook-secret';

/** A receiver that checks X-Vigil-Signature over the raw body; answers 503 to the first `failFirst` posts. */
async function startReceiver(failFirst: number) {
  const accepted: Array<{ body: WebhookPayload; headers: IncomingHttpHeaders }> = [];
  let badSignatures = 0;
  let posts = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts++;
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-vigil-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        badSignatures++;
        res.writeHead(401).end('bad signature');
        return;
      }
      if (posts <= failFirst) {
        res.writeHead(503).end('busy');
        return;
      }
      accepted.push({ body: JSON.parse(raw.toString()) as WebhookPayload, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, accepted, badSignatures: () => badSignatures, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a generic webhook gets the alert as signed JSON, with retries and dedupe like Slack', { skip: nats.skip }, async () => {
  const receiver = await startReceiver(2);
  const { logger, text } = capturedLogger();
  const config = notifierConfig({
    destinations: [{ name: 'siem', type: 'webhook', webhookUrl: receiver.url, secretEnv: 'HOOK_SECRET', filter: {}, foldWindowSeconds: 0, rateLimit: { messages: 50, perSeconds: 1 } }],
  });
  const notifier = await startNotifierConsumer({ bus, logger, config, env: { HOOK_SECRET: SECRET } });
  try {
    const alert: Alert = sshdAlert({ id: 'w1' });
    await publishAlert(bus, alert);
    await waitFor(() => receiver.accepted.length === 1, 10000, 'the alert accepted after two 503s');
    const [got] = receiver.accepted;
    assert.equal(got!.headers['content-type'], 'application/json');
    assert.deepEqual(got!.body, {
      alert,
      count: 1,
      alertIds: ['w1'],
      folded: [],
      tally: { srcip: { '1.2.3.4': 1 }, srcuser: { admin: 1 } },
      firstTimestamp: alert.timestamp,
      lastTimestamp: alert.timestamp,
    });
    assert.equal(receiver.badSignatures(), 0);
    await waitFor(async () => (await ackPending(bus, 'notifier-siem')) === 0, 5000, 'acked once accepted');
    await bus.js.publish(bus.subjects.alert(alert.rule.level, alert.agent.id, alert.rule.id), JSON.stringify(alert), { msgID: 'w1-again' });
    await waitFor(() => notifier.destinations[0]!.stats.duplicates === 1, 5000, 'the same alert id again is recognised as posted');
    assert.equal(receiver.accepted.length, 1, 'not posted twice');
    assert.ok(!text().includes(SECRET), 'the secret is never logged');
  } finally {
    await notifier.stop();
    await receiver.close();
  }
});
