import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Bus } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { sshdAlert } from '../fixtures/alerts.ts';
import { alertsIn, leadId, publishAlert, useSlackAndBus } from './harness.ts';
import type { SlackStub } from './slack-stub.ts';

const NOTIFIER_PROCESS = fileURLToPath(new URL('./notifier-process.ts', import.meta.url));
let slack: SlackStub;
let bus: Bus;

const nats = useSlackAndBus((s, b) => {
  slack = s;
  bus = b;
});

function startNotifierProcess(config: unknown): { child: ChildProcess; output: () => string; exited: Promise<never> } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', NOTIFIER_PROCESS], {
    env: { ...process.env, NATS_URL: nats.url, NOTIFIER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`notifier process exited (${code ?? signal}): ${output.slice(-2000)}`)));
  });
  exited.catch(() => {});
  return { child, output: () => output, exited };
}

/** Waits for `probe`, failing at once with the process output if the notifier process exits meanwhile. */
async function waitWhileRunning<T>(proc: { exited: Promise<never> }, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  return await Promise.race([waitFor(probe, timeoutMs, what), proc.exited]);
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGKILL');
  });
}

async function stopGracefully(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

/** Publishes a steady stream of alerts, interrupts the notifier after 8 posts, restarts it, and checks the posts. */
async function restartMidBurst(hook: string, interrupt: (child: ChildProcess) => Promise<void>, hang: boolean): Promise<void> {
  const config = {
    slack: { webhookUrl: slack.url(hook), minLevel: 0, timeoutMs: 5000 },
    noise: { foldWindowSeconds: 0, rateLimit: { messages: 50, perSeconds: 1 } },
    delivery: { firstRetryMs: 100, maxRetryMs: 400 },
  };
  const total = 30;
  const durable = 'notifier';
  const first = startNotifierProcess(config);
  let second: ReturnType<typeof startNotifierProcess> | undefined;
  try {
    await waitWhileRunning(first, async () => (await bus.jsm.consumers.info(bus.streams.alerts, durable)) !== undefined, 30_000, "the notifier's durable");
    const publishing = (async () => {
      for (let i = 1; i <= total; i++) {
        await publishAlert(bus, sshdAlert({ id: `${hook}-${i}`, rule: { id: `77${String(i).padStart(2, '0')}` } }));
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await waitWhileRunning(first, () => slack.accepted(hook).length >= 8, 20_000, '8 posts');
    if (hang) {
      // Slack stops answering: the notifier is now blocked in a post, every post before it accepted and acked.
      slack.hold();
      await waitFor(() => slack.requests.some((r) => r.path === hook && r.status === 0), 5000, 'a post left hanging');
    }
    await interrupt(first.child);
    if (hang) slack.release();
    const beforeRestart = slack.accepted(hook).length;
    second = startNotifierProcess(config);
    await publishing;
    const represented = () => slack.accepted(hook).reduce((n, r) => n + alertsIn(r.body.text), 0);
    await waitWhileRunning(second, () => represented() >= total, 30_000, `all ${total} alerts posted`);
    await new Promise((r) => setTimeout(r, 2000)); // past the ack wait: redeliveries would be posted by now
    assert.ok(slack.accepted(hook).length > beforeRestart, 'the restarted notifier posted the rest');
    assert.equal(represented(), total, 'every alert accounted for exactly once');
    const leads = slack.accepted(hook).map((r) => leadId(r.body));
    assert.equal(new Set(leads).size, leads.length, `no alert posted twice: ${leads.join(' ')}`);
  } finally {
    await killHard(first.child);
    if (second) await killHard(second.child);
  }
}

test('a notifier killed (SIGKILL) mid-burst and restarted posts no alert twice and loses none', { skip: nats.skip, timeout: 60_000 }, async () => {
  await restartMidBurst('/killed', killHard, true);
});

test('a notifier stopped (SIGTERM) mid-burst and restarted posts no alert twice and loses none', { skip: nats.skip, timeout: 60_000 }, async () => {
  await restartMidBurst('/stopped', stopGracefully, false);
});
