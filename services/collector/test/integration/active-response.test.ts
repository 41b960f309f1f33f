import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ArCommand, Bus } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();

let n = 0;
function command(agent: string, over: Partial<ArCommand> = {}): ArCommand {
  n++;
  return {
    id: `1765015200.${n}:resp:${agent}`,
    version: 1,
    response: 'resp',
    command: 'host-deny',
    agent,
    srcip: '203.0.113.7',
    timeoutSeconds: 0,
    dryRun: false,
    offense: 1,
    issuedAt: new Date().toISOString(),
    alert: { id: `1765015200.${n}`, rule: { id: '200120', level: 10, description: 'sshd: brute force' }, agent: { id: agent, name: agent } },
    ...over,
  };
}

async function send(bus: Bus, agent: string, body: unknown, msgId?: string): Promise<void> {
  await bus.js.publish(bus.subjects.ar(agent), typeof body === 'string' ? body : JSON.stringify(body), msgId ? { msgID: msgId } : {});
}

interface Notice {
  status: string;
  command_id?: string;
  reason: string;
}

async function notices(bus: Bus, agent: string): Promise<Notice[]> {
  return (await readRaw(bus))
    .filter((e) => e.agent.id === agent && (e.payload as { collector?: { type?: string } }).collector?.type === 'active_response')
    .map((e) => (e.payload as { collector: Notice }).collector);
}

test('commands that are not well-formed, for another agent, name an unknown script or target an allow-listed address or user are refused, reported and never executed', { skip: nats.skip }, async () => {
  const agent = 'ar-refuse';
  const h = await startHarness({ natsUrl: nats.url, agentId: agent, collector: {} });
  const hostsDeny = join(h.dir, 'hosts.deny');
  await h.stop();
  const h2 = await startHarness({
    natsUrl: nats.url,
    agentId: agent,
    dir: h.dir,
    collector: { activeResponse: { enabled: true, hostsDenyPath: hostsDeny, allow: { addresses: ['10.42.0.0/16'], users: ['admin'] } } },
  });
  try {
    await send(h2.bus, agent, 'not json');
    await send(h2.bus, agent, { ...command(agent), command: 'rm -rf /' });
    await send(h2.bus, agent, command('someone-else'));
    await send(h2.bus, agent, command(agent, { command: 'custom', script: 'nope' }));
    await send(h2.bus, agent, command(agent, { srcip: '127.0.0.1' }));
    await send(h2.bus, agent, command(agent, { srcip: '10.42.7.7' }));
    await send(h2.bus, agent, command(agent, { srcip: '-1; reboot' }));
    await send(h2.bus, agent, command(agent, { command: 'disable-account', srcip: undefined, user: 'admin' }));
    await send(h2.bus, agent, command(agent, { command: 'disable-account', srcip: undefined, user: '--help' }));
    const got = await waitFor(async () => ((await notices(h2.bus, agent)).length >= 9 ? notices(h2.bus, agent) : undefined), 30_000, '9 notices');
    assert.deepEqual(got.map((x) => x.status), Array(9).fill('refused'));
    const reasons = got.map((x) => x.reason).join('\n');
    for (const want of ['not a well-formed command', 'for agent someone-else', "unknown script 'nope'", 'srcip 127.0.0.1 is allow-listed', 'srcip 10.42.7.7 is allow-listed', 'is not an IP address', 'user admin is allow-listed', 'not a valid user name']) {
      assert.ok(reasons.includes(want), `${want} in\n${reasons}`);
    }
    assert.equal(existsSync(hostsDeny), false, 'nothing executed');
  } finally {
    await h2.stop();
  }
});

test('host-deny adds the address once however often the command is delivered, a dry run changes nothing, and the revert removes it on time', { skip: nats.skip }, async () => {
  const agent = 'ar-hostdeny';
  const h = await startHarness({ natsUrl: nats.url, agentId: agent, collector: {} });
  const hostsDeny = join(h.dir, 'hosts.deny');
  writeFileSync(hostsDeny, 'sshd: 198.51.100.1\n');
  await h.stop();
  const h2 = await startHarness({ natsUrl: nats.url, agentId: agent, dir: h.dir, collector: { activeResponse: { enabled: true, hostsDenyPath: hostsDeny, revertCheckMs: 100 } } });
  try {
    const dry = command(agent, { dryRun: true, srcip: '192.0.2.9' });
    await send(h2.bus, agent, dry, dry.id);
    const c = command(agent, { timeoutSeconds: 2 });
    await send(h2.bus, agent, c, c.id);
    await send(h2.bus, agent, c); // no msg id: a second copy in the stream, same command id
    await waitFor(() => readFileSync(hostsDeny, 'utf8').includes('ALL: 203.0.113.7'), 30_000, 'the address in hosts.deny');
    assert.equal(readFileSync(hostsDeny, 'utf8'), 'sshd: 198.51.100.1\nALL: 203.0.113.7\n');
    await waitFor(() => !readFileSync(hostsDeny, 'utf8').includes('203.0.113.7'), 30_000, 'the address removed after its timeout');
    assert.equal(readFileSync(hostsDeny, 'utf8'), 'sshd: 198.51.100.1\n');
    const got = await waitFor(async () => {
      const all = await notices(h2.bus, agent);
      return all.some((x) => x.status === 'reverted') ? all : undefined;
    }, 30_000, 'the reverted notice');
    assert.deepEqual(got.map((x) => x.status), ['dry_run', 'executed', 'reverted']);
  } finally {
    await h2.stop();
  }
});

test('a custom script speaks the active-response protocol: add with the check_keys exchange, then delete on time', { skip: nats.skip }, async () => {
  const agent = 'ar-custom';
  const h = await startHarness({ natsUrl: nats.url, agentId: agent, collector: {} });
  const log = join(h.dir, 'script.log');
  const script = join(h.dir, 'block.sh');
  // Reads the message, asks check_keys for add, records the answer; delete has no exchange.
  writeFileSync(
    script,
    `#!/bin/sh
read -r msg
echo "$msg" >> ${log}
case "$msg" in *'"command":"add"'*)
  echo '{"version":1,"origin":{"name":"block","module":"active-response"},"command":"check_keys","parameters":{"keys":["203.0.113.7"]}}'
  read -r answer
  echo "answer $answer" >> ${log} ;;
esac
exit 0
`,
  );
  chmodSync(script, 0o755);
  await h.stop();
  const h2 = await startHarness({ natsUrl: nats.url, agentId: agent, dir: h.dir, collector: { activeResponse: { enabled: true, scripts: { block: script }, revertCheckMs: 100 } } });
  try {
    const c = command(agent, { command: 'custom', script: 'block', timeoutSeconds: 1 });
    await send(h2.bus, agent, c, c.id);
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').split('\n').filter(Boolean).length >= 3, 30_000, 'add, answer and delete in the script log');
    const [add, answer, del] = readFileSync(log, 'utf8').split('\n').filter(Boolean) as [string, string, string];
    const addMsg = JSON.parse(add) as { version: number; command: string; parameters: { alert: { data: { srcip: string } }; program: string } };
    assert.equal(addMsg.version, 1);
    assert.equal(addMsg.command, 'add');
    assert.equal(addMsg.parameters.alert.data.srcip, '203.0.113.7');
    assert.equal(addMsg.parameters.program, script);
    assert.match(answer, /^answer .*"command":"continue"/);
    assert.equal((JSON.parse(del) as { command: string }).command, 'delete');
    const got = await waitFor(async () => {
      const all = await notices(h2.bus, agent);
      return all.some((x) => x.status === 'reverted') ? all : undefined;
    }, 30_000, 'the reverted notice');
    assert.deepEqual(got.map((x) => x.status), ['executed', 'reverted']);
  } finally {
    await h2.stop();
  }
});

const rootSkip = nats.skip ?? (process.getuid?.() !== 0 ? 'needs root to create a user and lock it' : undefined);
if (rootSkip && !nats.skip) console.log(`# skipping disable-account test: ${rootSkip}`);

test('disable-account locks and expires a user created by the test, and unlocks it on time', { skip: rootSkip }, async () => {
  const agent = 'ar-account';
  const user = `vigilt${process.pid % 100000}`;
  // A password hash of its own, so that unlocking gives it back (usermod refuses to unlock into an empty password).
  execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', '-p', '$6$vigil$test', user]);
  const shadow = () => (readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`)) ?? '').split(':');
  const h = await startHarness({ natsUrl: nats.url, agentId: agent, collector: { activeResponse: { enabled: true, revertCheckMs: 100 } } });
  try {
    const c = command(agent, { command: 'disable-account', srcip: undefined, user, timeoutSeconds: 2 });
    await send(h.bus, agent, c, c.id);
    await waitFor(() => shadow()[1] === '!$6$vigil$test' && shadow()[7] === '1', 30_000, 'the account locked and expired');
    await waitFor(() => shadow()[1] === '$6$vigil$test' && shadow()[7] === '', 30_000, 'the account unlocked after its timeout');
  } finally {
    await h.stop();
    execFileSync('userdel', [user]);
  }
});
