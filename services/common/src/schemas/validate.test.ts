import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidMessageError } from '../errors.ts';
import { validators } from './mod.ts';

const raw = {
  v: 1,
  id: 'a1:0',
  seq: 0,
  agent: { id: 'a1', name: 'host-a' },
  kind: 'log',
  location: '/var/log/auth.log',
  collectedAt: '2026-01-01T00:00:00.000Z',
  log: 'hello',
};

test('a valid raw event passes', () => {
  assert.deepEqual(validators.rawEvent.parse(JSON.stringify(raw)), raw);
});

test('an invalid raw event names the field at fault', () => {
  const bad = { ...raw, seq: -1 };
  assert.throws(
    () => validators.rawEvent.parse(JSON.stringify(bad)),
    (err: unknown) => err instanceof InvalidMessageError && err.code === 'EVENT_INVALID' && /field 'seq'/.test(err.message),
  );
  assert.throws(() => validators.rawEvent.assert({ ...raw, collectedAt: 'yesterday' }), /field 'collectedAt'/);
  assert.throws(() => validators.rawEvent.assert({ ...raw, agent: { id: 'a.b', name: 'x' } }), /field 'agent.id'/);
  assert.throws(() => validators.rawEvent.assert({ ...raw, extra: 1 }), /invalid raw event/);
});

test('bytes that are not JSON are EVENT_NOT_JSON', () => {
  assert.throws(
    () => validators.rawEvent.parse(new Uint8Array([0xff, 0x00, 0x7b])),
    (err: unknown) => err instanceof InvalidMessageError && err.code === 'EVENT_NOT_JSON',
  );
});
