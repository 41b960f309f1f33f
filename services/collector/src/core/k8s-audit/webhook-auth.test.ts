import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeWebhook, type WebhookCredentials } from './webhook-auth.ts';

const equal = (a: string, b: string) => a === b;
const noCert = { required: false, presented: false, verified: false };
const noToken = { expected: undefined, header: undefined, equal };

const decide = (c: Partial<WebhookCredentials>) => authorizeWebhook({ certificate: noCert, token: noToken, ...c });

test('client certificate: missing is 401, untrusted is 403, verified passes', () => {
  assert.deepEqual(decide({ certificate: { required: true, presented: false, verified: false } }), { ok: false, status: 401, reason: 'no client certificate' });
  const untrusted = decide({ certificate: { required: true, presented: true, verified: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
  assert.equal(untrusted.ok === false && untrusted.status, 403);
  assert.deepEqual(decide({ certificate: { required: true, presented: true, verified: true } }), { ok: true });
});

test('bearer token: missing or not a bearer is 401, wrong is 403, right passes', () => {
  const token = (header: string | undefined) => decide({ token: { expected: 's3cret', header, equal } });
  assert.equal((token(undefined) as { status: number }).status, 401);
  assert.equal((token('Basic YTpi') as { status: number }).status, 401);
  assert.equal((token('Bearer nope') as { status: number }).status, 403);
  assert.deepEqual(token('Bearer s3cret'), { ok: true });
  assert.deepEqual(token('bearer  s3cret'), { ok: true });
});

test('both configured: both must pass', () => {
  const both = (verified: boolean, header: string) => decide({ certificate: { required: true, presented: true, verified }, token: { expected: 's3cret', header, equal } });
  assert.equal(both(true, 'Bearer s3cret').ok, true);
  assert.equal(both(false, 'Bearer s3cret').ok, false);
  assert.equal(both(true, 'Bearer nope').ok, false);
});
