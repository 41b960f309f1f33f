import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentRecord, silentForSeconds } from './agent-record.ts';

const os = { name: 'Debian GNU/Linux', version: '12', platform: 'linux', arch: 'x64', kernel: '6.1.0', hostname: 'h1' };

test('a new agent is first seen now; a known one keeps its first_seen', () => {
  const agent = { id: 'a1', name: 'h1', ip: '10.0.0.1' };
  const first = agentRecord(agent, { version: '0.1.0', os }, undefined, new Date('2026-01-01T00:00:00Z'));
  assert.deepEqual(first, {
    id: 'a1',
    name: 'h1',
    ip: '10.0.0.1',
    version: '0.1.0',
    os,
    first_seen: '2026-01-01T00:00:00.000Z',
    last_keepalive: '2026-01-01T00:00:00.000Z',
    status: 'active',
  });
  const later = agentRecord(agent, { version: '0.2.0', os }, first, new Date('2026-01-02T00:00:00Z'));
  assert.equal(later.first_seen, '2026-01-01T00:00:00.000Z');
  assert.equal(later.last_keepalive, '2026-01-02T00:00:00.000Z');
  assert.equal(silentForSeconds(later, new Date('2026-01-02T00:01:00Z')), 60);
});
