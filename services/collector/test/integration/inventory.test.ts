import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { validators, type Bus, type Inventory, type RawEvent } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { joinInventory } from '../../src/core/inventory/inventory-parts.ts';
import { readRaw, startHarness } from './collector-harness.ts';

const nats = useTestNats();

const paragraph = (name: string, version: string, extra = ''): string =>
  `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n${extra}Version: ${version}\nDescription: ${name}\n it does things\n`;

/** dpkg replaces its status file by writing status-new and renaming it, as here. */
function writeStatus(root: string, paragraphs: string[]): void {
  const dir = join(root, 'var/lib/dpkg');
  writeFileSync(join(dir, 'status-new'), paragraphs.join('\n'));
  renameSync(join(dir, 'status-new'), join(dir, 'status'));
}

/** The raw events on hids.raw.<agent>.inventory, in stream order. */
async function inventoryEvents(bus: Bus, agent: string): Promise<Array<{ subject: string; event: RawEvent }>> {
  const subject = bus.subjects.raw(agent, 'inventory');
  const consumer = await bus.js.consumers.get(bus.streams.raw, { filter_subjects: subject });
  const out: Array<{ subject: string; event: RawEvent }> = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
    let got = 0;
    for await (const m of batch) {
      out.push({ subject: m.subject, event: validators.rawEvent.parse(m.data) });
      got++;
    }
    if (got === 0) return out;
  }
}

const inventoryOf = (e: RawEvent): Inventory => validators.inventory.assert(e.payload?.['inventory']);

test('the inventory: a full one on start, in parts; a delta once the dpkg status changes; an unreadable status is a notice naming it', { skip: nats.skip, timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-inventory-root-'));
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n');
  writeStatus(root, [
    paragraph('bash', '5.2.15-2+b2', 'Source: bash (5.2.15-2)\n'),
    paragraph('libssl3', '3.0.11-1~deb12u1', 'Source: openssl\n'),
    paragraph('curl', '7.88.1-10+deb12u4'),
  ]);
  const agent = 'agent-inventory';
  const h = await startHarness({ natsUrl: nats.url, agentId: agent, collector: { inventory: { hostRoot: root, pollSeconds: 0.05, maxPackagesPerEvent: 2 } } });
  try {
    await waitFor(async () => (await inventoryEvents(h.bus, agent)).length >= 2, 10_000, 'the full inventory stored');
    const full = await inventoryEvents(h.bus, agent);
    assert.equal(full.length, 2);
    for (const { subject, event } of full) {
      assert.equal(subject, `hids.raw.${agent}.inventory`);
      assert.equal(event.kind, 'inventory');
      assert.equal(event.location, 'syscollector');
    }
    const parts = full.map(({ event }) => inventoryOf(event));
    assert.deepEqual(parts.map((p) => [p.type, p.scope, p.part, p.parts, p.packages.length]), [
      ['full', 'host', 1, 2, 2],
      ['full', 'host', 2, 2, 1],
    ]);
    assert.equal(parts[0]?.inventoryId, parts[1]?.inventoryId);
    const whole = joinInventory(parts);
    assert.deepEqual(whole.os, { id: 'debian', versionId: '12', codename: 'bookworm', name: 'Debian GNU/Linux 12 (bookworm)', kernel: release() });
    assert.equal(whole.format, 'deb');
    assert.deepEqual(whole.packages, [
      { name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', sourceVersion: '5.2.15-2' },
      { name: 'curl', version: '7.88.1-10+deb12u4', arch: 'amd64' },
      { name: 'libssl3', version: '3.0.11-1~deb12u1', arch: 'amd64', source: 'openssl' },
    ]);

    // apt upgrades libssl3, removes curl and installs vim.
    writeStatus(root, [
      paragraph('bash', '5.2.15-2+b2', 'Source: bash (5.2.15-2)\n'),
      paragraph('libssl3', '3.0.11-1~deb12u2', 'Source: openssl\n'),
      paragraph('vim', '2:9.0.1378-2'),
      paragraph('curl', '7.88.1-10+deb12u4').replace('install ok installed', 'deinstall ok config-files'),
    ]);
    await waitFor(async () => (await inventoryEvents(h.bus, agent)).length >= 4, 10_000, 'the delta stored');
    const delta = (await inventoryEvents(h.bus, agent)).slice(2).map(({ event }) => inventoryOf(event));
    assert.deepEqual(delta.map((p) => [p.type, p.part, p.parts]), [
      ['delta', 1, 2],
      ['delta', 2, 2],
    ]);
    const changes = joinInventory(delta);
    assert.deepEqual(changes.packages, [
      { name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64', source: 'openssl' },
      { name: 'vim', version: '2:9.0.1378-2', arch: 'amd64' },
    ]);
    assert.deepEqual(changes.removed, [{ name: 'curl', version: '7.88.1-10+deb12u4', arch: 'amd64' }]);

    // The status file becomes unreadable (a directory in its place): a notice naming it, and no inventory.
    const status = join(root, 'var/lib/dpkg/status');
    rmSync(status);
    mkdirSync(status);
    await waitFor(async () => (await readRaw(h.bus)).some((e) => e.location === 'vigil-collector'), 10_000, 'the notice stored');
    const notice = (await readRaw(h.bus)).find((e) => e.location === 'vigil-collector');
    assert.match(notice?.log ?? '', new RegExp(`^vigil-collector: inventory_unreadable: '${status}': cannot read the deb package database ${status}: EISDIR`));
    assert.equal((await inventoryEvents(h.bus, agent)).length, 4);
  } finally {
    await h.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
