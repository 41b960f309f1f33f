import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { buildAllowList, type Alert } from '@vigil/common';
import { ResponseSpec } from '../config.ts';
import { decideResponses, emptyMemory, remember, timeoutFor, type DecideContext } from './decide-responses.ts';

function spec(partial: Partial<ResponseSpec> & { name: string; command: ResponseSpec['command'] }): ResponseSpec {
  return Value.Default(ResponseSpec, structuredClone(partial)) as ResponseSpec;
}

function alert(over: { id?: string; rule?: string; level?: number; groups?: string[]; agent?: string; data?: Record<string, unknown> } = {}): Alert {
  return {
    timestamp: '2026-12-06T10:00:00.000+0000',
    rule: { id: over.rule ?? '200120', level: over.level ?? 10, description: 'sshd: brute force', firedtimes: 1, mail: false, groups: over.groups ?? ['sshd', 'authentication_failures'] },
    agent: { id: over.agent ?? 'node1', name: over.agent ?? 'node1' },
    manager: { name: 'm' },
    id: over.id ?? '1765015200.1',
    location: '/var/log/auth.log',
    data: over.data ?? { srcip: '203.0.113.7', dstuser: 'alice' },
  };
}

const drop = spec({ name: 'ssh-block', command: 'firewall-drop', rules: ['200120'], dryRun: false, timeoutSeconds: 60 });

function ctx(over: Partial<DecideContext> = {}): DecideContext {
  return { responses: [drop], allow: buildAllowList(['10.42.0.0/16'], ['admin']), memory: emptyMemory(), now: 1_000_000, agents: ['node1', 'node2'], ...over };
}

test('a matching alert gives one command for the agent that raised it, with the srcip, timeout and a deterministic id', () => {
  const d = decideResponses(alert(), ctx());
  assert.equal(d.commands.length, 1);
  const c = d.commands[0]!;
  assert.deepEqual([c.id, c.agent, c.srcip, c.timeoutSeconds, c.dryRun, c.offense, c.command], ['1765015200.1:ssh-block:node1', 'node1', '203.0.113.7', 60, false, 1, 'firewall-drop']);
  assert.deepEqual(decideResponses(alert(), ctx()).commands, d.commands);
});

test('rules, groups, minimum level and agents select the alerts', () => {
  assert.equal(decideResponses(alert({ rule: '200100' }), ctx()).commands.length, 0);
  const byGroup = spec({ name: 'g', command: 'firewall-drop', groups: ['authentication_failures'], minLevel: 8 });
  assert.equal(decideResponses(alert({ rule: '1' }), ctx({ responses: [byGroup] })).commands.length, 1);
  assert.equal(decideResponses(alert({ rule: '1', level: 7 }), ctx({ responses: [byGroup] })).commands.length, 0);
  assert.equal(decideResponses(alert({ groups: ['web'] }), ctx({ responses: [byGroup] })).commands.length, 0);
  const onlyNode2 = spec({ name: 'a', command: 'firewall-drop', agents: ['node2'] });
  assert.equal(decideResponses(alert(), ctx({ responses: [onlyNode2] })).commands.length, 0);
  assert.equal(decideResponses(alert({ agent: 'node2' }), ctx({ responses: [onlyNode2] })).commands.length, 1);
});

test('Vigil\'s own active-response alerts never trigger a response', () => {
  const any = spec({ name: 'any', command: 'firewall-drop' });
  assert.equal(decideResponses(alert({ groups: ['vigil', 'active_response'] }), ctx({ responses: [any] })).commands.length, 0);
});

test('new responses are dry runs by default', () => {
  const d = decideResponses(alert(), ctx({ responses: [spec({ name: 'x', command: 'firewall-drop' })] }));
  assert.equal(d.commands[0]?.dryRun, true);
});

test('loopback, configured CIDRs, IPv4-mapped forms and allow-listed users are never acted on', () => {
  for (const srcip of ['127.0.0.1', '::1', '10.42.3.4', '::ffff:10.42.3.4']) {
    const d = decideResponses(alert({ data: { srcip } }), ctx());
    assert.deepEqual(d.commands, [], srcip);
    assert.equal(d.skipped[0]?.reason, 'allow-listed address');
  }
  const lock = spec({ name: 'lock', command: 'disable-account', rules: ['200120'] });
  for (const user of ['root', 'admin']) {
    const d = decideResponses(alert({ data: { srcip: '203.0.113.7', dstuser: user } }), ctx({ responses: [lock] }));
    assert.deepEqual([d.commands.length, d.skipped[0]?.reason], [0, 'allow-listed user'], user);
  }
  assert.equal(decideResponses(alert(), ctx({ responses: [lock] })).commands[0]?.user, 'alice');
});

test('alerts without a usable target are skipped with the reason', () => {
  assert.equal(decideResponses(alert({ data: {} }), ctx()).skipped[0]?.reason, 'no srcip in alert');
  assert.equal(decideResponses(alert({ data: { srcip: 'evil; rm -rf /' } }), ctx()).skipped[0]?.reason, 'invalid srcip');
  const custom = spec({ name: 'c', command: 'custom' });
  assert.equal(decideResponses(alert(), ctx({ responses: [custom] })).skipped[0]?.reason, 'custom without script');
});

test('repeated offenders get the longer timeouts, the last one repeating; one offense per alert however many agents', () => {
  const rep = spec({ name: 'rep', command: 'firewall-drop', location: 'all', timeoutSeconds: 60, repeatedOffenders: [10, 30] });
  assert.deepEqual([1, 2, 3, 4].map((n) => timeoutFor(rep, n)), [60, 600, 1800, 1800]);
  let memory = emptyMemory();
  const seen: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const d = decideResponses(alert({ id: `17650152${i}.1` }), ctx({ responses: [rep], memory }));
    assert.deepEqual(d.commands.map((c) => c.agent), ['node1', 'node2']);
    seen.push(d.commands.map((c) => c.timeoutSeconds));
    memory = remember(memory, d.commands, 1_000_000 + i);
  }
  assert.deepEqual(seen, [[60, 60], [600, 600], [1800, 1800], [1800, 1800]]);
});

test('a redelivered alert sends nothing twice', () => {
  const d = decideResponses(alert(), ctx());
  const memory = remember(emptyMemory(), d.commands, 1_000_000);
  const again = decideResponses(alert(), ctx({ memory }));
  assert.deepEqual([again.commands.length, again.skipped[0]?.reason], [0, 'already sent']);
});

test('the rate limit counts actions per agent over its period, within one alert too', () => {
  const limited = spec({ name: 'l', command: 'firewall-drop', rateLimit: { actions: 2, perSeconds: 60 } });
  const other = spec({ name: 'l2', command: 'host-deny', rateLimit: { actions: 2, perSeconds: 60 } });
  const third = spec({ name: 'l3', command: 'host-deny', rateLimit: { actions: 2, perSeconds: 60 } });
  const first = decideResponses(alert(), ctx({ responses: [limited, other, third] }));
  assert.deepEqual(first.commands.map((c) => c.response), ['l', 'l2']);
  assert.deepEqual(first.skipped, [{ response: 'l3', agent: 'node1', reason: 'rate limit' }]);
  let memory = remember(emptyMemory(), first.commands, 1_000_000);
  assert.equal(decideResponses(alert({ id: '2.1', data: { srcip: '198.51.100.1' } }), ctx({ responses: [limited], memory, now: 1_030_000 })).commands.length, 0);
  assert.equal(decideResponses(alert({ id: '2.1', agent: 'node2', data: { srcip: '198.51.100.1' } }), ctx({ responses: [limited], memory, now: 1_030_000 })).commands.length, 1);
  memory = remember(memory, [], 1_061_000);
  assert.equal(decideResponses(alert({ id: '3.1', data: { srcip: '198.51.100.1' } }), ctx({ responses: [limited], memory, now: 1_061_000 })).commands.length, 1);
});

test('location agent runs on the named agent only', () => {
  const onFw = spec({ name: 'fw', command: 'firewall-drop', location: 'agent', agent: 'gateway' });
  assert.deepEqual(decideResponses(alert(), ctx({ responses: [onFw] })).commands.map((c) => c.agent), ['gateway']);
});
