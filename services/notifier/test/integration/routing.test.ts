import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { fimAlert, scaAlert, sshdAlert } from '../fixtures/alerts.ts';
import { startNotifierConsumer } from '../../src/adapters/notifier-consumer.ts';
import { capturedLogger, leadId, notifierConfig, publishAlert, testBus } from './harness.ts';
import { startSlackStub, type SlackStub } from './slack-stub.ts';

let slack: SlackStub;

const nats = useTestNats({
  started: async () => {
    slack = await startSlackStub();
  },
  stopping: async () => {
    await slack?.close();
  },
});

test('routes: each destination receives exactly the alerts its filter selects, filtered by subject where possible', { skip: nats.skip }, async () => {
  const { logger } = capturedLogger();
  const bus: Bus = await testBus(nats.url, logger);
  const fast = { foldWindowSeconds: 0, rateLimit: { messages: 100, perSeconds: 1 } };
  const config = notifierConfig({
    destinations: [
      { name: 'fim', webhookUrl: slack.url('/fim'), filter: { groups: ['syscheck'], excludeGroups: ['syscheck_entry_added'] }, ...fast },
      { name: 'critical', webhookUrl: slack.url('/critical'), filter: { minLevel: 12 }, ...fast },
      { name: 'sshd-web', webhookUrl: slack.url('/sshd-web'), filter: { rules: ['5710'], agentNames: ['web*'], locations: ['/var/log/*'] }, ...fast },
      { name: 'bastion', webhookUrl: slack.url('/bastion'), filter: { agents: ['003'] }, ...fast },
    ],
  });
  const notifier = await startNotifierConsumer({ bus, logger, config });
  try {
    const subjects = Object.fromEntries(notifier.destinations.map((d) => [d.name, d.filterSubject]));
    assert.deepEqual(subjects, { fim: 'hids.alerts.>', critical: 'hids.alerts.>', 'sshd-web': 'hids.alerts.*.*.5710', bastion: 'hids.alerts.*.003.*' });
    const info = await bus.jsm.consumers.info(bus.streams.alerts, 'notifier-sshd-web');
    assert.equal(info.config.filter_subject, 'hids.alerts.*.*.5710');

    const alerts = [
      sshdAlert({ id: 'ssh-web' }),
      sshdAlert({ id: 'ssh-db', agent: { id: '002', name: 'db01' } }),
      sshdAlert({ id: 'ssh-crit', rule: { level: 12 } }),
      fimAlert({ id: 'fim-mod' }),
      fimAlert({ id: 'fim-add', rule: { id: '554', groups: ['ossec', 'syscheck', 'syscheck_entry_added'] } }),
      scaAlert({ id: 'sca-bastion' }),
      scaAlert({ id: 'sca-crit', rule: { level: 13 }, agent: { id: '004', name: 'db02' } }),
    ];
    for (const a of alerts) await publishAlert(bus, a);
    const expected: Record<string, string[]> = {
      '/fim': ['fim-mod'],
      '/critical': ['sca-crit', 'ssh-crit'],
      '/sshd-web': ['ssh-crit', 'ssh-web'],
      '/bastion': ['sca-bastion'],
    };
    const got = () => Object.fromEntries(Object.keys(expected).map((p) => [p, slack.accepted(p).map((r) => leadId(r.body) ?? '?').sort()]));
    await waitFor(() => Object.entries(expected).every(([p, ids]) => slack.accepted(p).length === ids.length), 10_000, 'every destination posted');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(got(), expected);
    const byName = Object.fromEntries(notifier.destinations.map((d) => [d.name, d.stats.received]));
    assert.equal(byName['sshd-web'], 3, 'the rule filter subject kept the other rules from being delivered at all');
    assert.equal(byName['bastion'], 1, 'the agent filter subject kept other agents from being delivered at all');
    assert.equal(byName['fim'], alerts.length, 'group filters are applied by the notifier');
  } finally {
    await notifier.stop();
    await bus.nc.drain();
  }
});
