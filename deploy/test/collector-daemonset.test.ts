import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, type RawEvent } from '@vigil/common';
import { natsSkipReason, startTestNats, waitFor } from '@vigil/common/testing';
import { startCollector } from '@vigil/collector';
import { ENV_OVERRIDES, VigilConfig } from '../../services/cli/src/config.ts';
import { forLoader, loadServiceConfig } from './config-maps.ts';
import { kubectlSkipReason, renderOverlay } from './kustomize.ts';

/**
 * The collector run with the DaemonSet's own configuration (the dev overlay's rendered ConfigMap), against a fixture
 * tree that stands for the node: every `/host/...` path of the configuration is moved under the fixture folder, as
 * the pod's hostPath mounts put the node's files under /host.
 */
test("the collector, with the DaemonSet's configuration, reads the node's logs and API server audit log under /host", async (t) => {
  const skip = kubectlSkipReason() ?? natsSkipReason();
  if (skip) return t.skip(skip);
  const { document } = loadServiceConfig(renderOverlay('dev'), 'collector', () => {});
  const dir = mkdtempSync(join(tmpdir(), 'vigil-daemonset-'));
  const nats = await startTestNats();
  t.after(async () => {
    await nats.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  // The node: its logs, the API server audit log, /etc and the kubelet configuration.
  const node = join(dir, 'host');
  for (const d of ['var/log/kubernetes/audit', 'var/log/audit', 'etc', 'var/lib/kubelet']) mkdirSync(join(node, d), { recursive: true });
  writeFileSync(join(node, 'var/log/auth.log'), '');
  writeFileSync(join(node, 'var/log/kubernetes/audit/audit.log'), '');
  writeFileSync(join(node, 'var/log/audit/audit.log'), '');
  writeFileSync(join(node, 'etc/hostname'), 'node-1\n');
  writeFileSync(join(node, 'var/lib/kubelet/config.yaml'), 'kind: KubeletConfiguration\n');

  const moved = JSON.parse(
    JSON.stringify(forLoader(document))
      .replaceAll('"/host/', `"${node}/`)
      .replaceAll('"/var/lib/vigil', `"${join(dir, 'data')}`),
  ) as Record<string, unknown>;
  const config = loadConfig(VigilConfig, { document: moved, env: { NATS_URL: nats.url }, envOverrides: ENV_OVERRIDES });
  assert.equal(config.collector.hostLogs, true);

  const logger = createLogger({ level: process.env['VIGIL_TEST_LOG'] ?? 'silent' });
  const bus = await connectBus(config.nats, logger, 'daemonset-test');
  const collector = await startCollector({ config: config.collector, agent: { id: 'node-1', name: 'node-1' }, bus, logger });
  t.after(async () => {
    await collector.stop();
    await bus.nc.close();
  });
  await collector.ready;

  const sshd = 'Nov 28 09:00:00 node-1 sshd[4242]: Failed password for root from 203.0.113.7 port 52113 ssh2';
  const audit = JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', verb: 'create', objectRef: { resource: 'pods/exec' } });
  appendFileSync(join(node, 'var/log/auth.log'), `${sshd}\n`);
  appendFileSync(join(node, 'var/log/kubernetes/audit/audit.log'), `${audit}\n`);

  const logs = await waitFor(
    async () => {
      const info = await bus.jsm.streams.info(bus.streams.raw);
      if (info.state.messages === 0) return undefined;
      const consumer = await bus.js.consumers.get(bus.streams.raw);
      const events: RawEvent[] = [];
      for await (const m of await consumer.fetch({ max_messages: info.state.messages, expires: 1000 })) {
        events.push(m.json<RawEvent>());
        if (events.length === info.state.messages) break;
      }
      const found = events.filter((e) => e.kind === 'log');
      return found.filter((e) => e.location.startsWith(node)).length >= 2 ? found : undefined;
    },
    20_000,
    'both lines in HIDS_RAW',
  );
  // The collector reports a configured path it cannot use (missing, not a directory, ...) as its own notice.
  // Whether who-data works depends on the node's auditd, not on the manifest: that notice is not a path problem.
  const notices = logs.filter((e) => !e.location.startsWith(node) && (e.log ?? '').includes(node) && !(e.log ?? '').includes(': whodata_unavailable: '));
  assert.deepEqual(notices.map((e) => e.log), [], 'no configured host path is reported unusable');
  assert.deepEqual(
    logs
      .filter((e) => e.location.startsWith(node))
      .map((e) => ({ location: e.location, log: e.log })).sort((a, b) => a.location.localeCompare(b.location)),
    [
      { location: join(node, 'var/log/auth.log'), log: sshd },
      { location: join(node, 'var/log/kubernetes/audit/audit.log'), log: audit },
    ].sort((a, b) => a.location.localeCompare(b.location)),
  );
});
