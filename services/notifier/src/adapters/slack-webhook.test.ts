import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { singleNotice, toSlackPayload } from '../core/slack-payload.ts';
import { sshdAlert } from '../../test/fixtures/alerts.ts';
import { postToWebhook } from './slack-webhook.ts';

let server: Server;
let base = '';
const bodies: unknown[] = [];

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (req.url?.startsWith('/hang')) return; // never answers
      bodies.push(JSON.parse(raw));
      if (req.url?.startsWith('/ok')) res.writeHead(200).end('ok');
      else if (req.url?.startsWith('/limited')) res.writeHead(429, { 'retry-after': '7' }).end('rate_limited');
      else if (req.url?.startsWith('/broken')) res.writeHead(500).end('internal\nerror');
      else res.writeHead(404).end('no_service');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const payload = toSlackPayload(singleNotice(sshdAlert()));

test('posts the payload through @slack/webhook and reports each answer as data, with Retry-After', async () => {
  assert.deepEqual(await postToWebhook(`${base}/ok/T/B/SECRET`, payload, 2000), { kind: 'accepted', status: 200 });
  assert.deepEqual(bodies.at(-1), JSON.parse(JSON.stringify(payload)));
  assert.deepEqual(await postToWebhook(`${base}/limited/SECRET`, payload, 2000), { kind: 'http', status: 429, retryAfterMs: 7000, body: 'rate_limited' });
  assert.deepEqual(await postToWebhook(`${base}/broken/SECRET`, payload, 2000), { kind: 'http', status: 500, retryAfterMs: undefined, body: 'internal error' });
  assert.deepEqual(await postToWebhook(`${base}/gone/SECRET`, payload, 2000), { kind: 'http', status: 404, retryAfterMs: undefined, body: 'no_service' });
});

test('network failures and timeouts are reported without the URL', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const address = closed.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => closed.close(() => r()));
  const refused = await postToWebhook(`http://127.0.0.1:${port}/services/T/B/SECRET`, payload, 2000);
  assert.equal(refused.kind, 'network');
  assert.doesNotMatch(JSON.stringify(refused), /SECRET|127\.0\.0\.1/);
  assert.match(JSON.stringify(refused), /ECONNREFUSED/);
  const timedOut = await postToWebhook(`${base}/hang/SECRET`, payload, 200);
  assert.deepEqual(timedOut, { kind: 'network', reason: 'timed out' });
});
