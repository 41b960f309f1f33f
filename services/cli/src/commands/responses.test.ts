import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResponseRecord } from '@vigil/responder';
import { formatResponse, isActive, selectResponses } from './responses.ts';

function record(agent: string, over: Partial<ResponseRecord['command']> = {}, until?: string): ResponseRecord {
  return {
    command: {
      id: `1.1:block:${agent}`,
      version: 1,
      response: 'block',
      command: 'firewall-drop',
      agent,
      srcip: '203.0.113.7',
      timeoutSeconds: 600,
      dryRun: false,
      offense: 1,
      issuedAt: '2026-12-06T10:00:00.000Z',
      alert: { id: '1.1', rule: { id: '200120', level: 10, description: 'sshd: brute force' }, agent: { id: agent, name: agent } },
      ...over,
    },
    sentAt: '2026-12-06T10:00:00.000Z',
    ...(until ? { until } : {}),
  };
}

const now = new Date('2026-12-06T10:05:00.000Z');

test('active: not a dry run, and the revert time still ahead (or none)', () => {
  assert.equal(isActive(record('a', {}, '2026-12-06T10:10:00.000Z'), now), true);
  assert.equal(isActive(record('a', {}, '2026-12-06T10:04:00.000Z'), now), false);
  assert.equal(isActive(record('a', { dryRun: true }, '2026-12-06T10:10:00.000Z'), now), false);
  assert.equal(isActive(record('a'), now), true);
});

test('--agent and --active select records; a line says where, what, since, until and why', () => {
  const records = [record('a', {}, '2026-12-06T10:10:00.000Z'), record('b', {}, '2026-12-06T10:01:00.000Z'), record('a', { dryRun: true, srcip: '198.51.100.1' }, '2026-12-06T10:10:00.000Z')];
  assert.equal(selectResponses(records, { agent: 'a' }, now).length, 2);
  assert.equal(selectResponses(records, { active: true }, now).length, 1);
  assert.equal(
    formatResponse(records[0] as ResponseRecord, now),
    'a  block (firewall-drop) 203.0.113.7  since 2026-12-06T10:00:00.000Z  until 2026-12-06T10:10:00.000Z  ACTIVE  alert 1.1 rule 200120: sshd: brute force',
  );
  assert.match(formatResponse(records[1] as ResponseRecord, now), /reverted/);
  assert.match(formatResponse(records[2] as ResponseRecord, now), /DRY RUN/);
});
