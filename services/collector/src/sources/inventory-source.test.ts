import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { createLogger, validators, type Inventory } from '@vigil/common';
import { SpoolStore } from '../adapters/spool-store.ts';
import { InventoryConfig } from '../inventory-config.ts';
import { InventorySource } from './inventory-source.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const UID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

test('containers on the node: one inventory per image, read through /proc/<pid>/root, tied to pod, namespace and image', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-inventory-node-'));
  const host = join(dir, 'host');
  const proc = join(dir, 'proc');
  const spool = new SpoolStore(join(dir, 'spool.db'), { id: 'node-1', name: 'node-1' }, 16 * 1024 * 1024);
  let source: InventorySource | undefined;
  try {
    put(join(host, 'etc/os-release'), 'ID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n');
    put(join(host, 'var/lib/dpkg/status'), 'Package: containerd\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.7.2-0ubuntu1~22.04.1\n');
    // Two nginx containers (one image) and an Alpine one; pids in /proc, their roots as the node sees them.
    const kubepod = (id: string) => `0::/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${id}.scope\n`;
    put(join(proc, '1/cgroup'), '0::/init.scope\n');
    for (const [pid, id] of [['200', A], ['210', A], ['300', B], ['400', C]] as const) put(join(proc, pid, 'cgroup'), kubepod(id));
    const debianRoot = (pid: string) => {
      put(join(proc, pid, 'root/etc/os-release'), 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n');
      put(join(proc, pid, 'root/var/lib/dpkg/status'), 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.25.3-1~bookworm\n');
    };
    debianRoot('200');
    debianRoot('300');
    put(join(proc, '400/root/usr/lib/os-release'), 'ID=alpine\nVERSION_ID=3.19.1\n');
    put(join(proc, '400/root/lib/apk/db/installed'), 'P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\n');
    const nginx = JSON.stringify({ annotations: { 'io.kubernetes.cri.image-name': 'docker.io/library/nginx:1.25' } });
    for (const id of [A, B]) put(join(host, 'run/containerd/io.containerd.runtime.v2.task/k8s.io', id, 'config.json'), nginx);
    mkdirSync(join(dir, 'containers'));
    writeFileSync(join(dir, 'containers', `web-1_shop_nginx-${A}.log`), '');
    writeFileSync(join(dir, 'containers', `web-2_shop_nginx-${B}.log`), '');
    writeFileSync(join(dir, 'containers', `cache-0_infra_sidecar-${C}.log`), '');

    const config = Value.Default(InventoryConfig, {
      hostRoot: host,
      pollSeconds: 0.05,
      containers: { enabled: true, procDir: proc, containerLogDir: join(dir, 'containers'), podLogDir: join(dir, 'pods'), rescanSeconds: 0.05 },
    }) as InventoryConfig;
    source = new InventorySource({ config, spool, logger: createLogger({ level: 'silent' }) });
    await source.start();
    const inventories = spool.peek(10).map((e) => validators.inventory.assert(validators.rawEvent.parse(e.data).payload?.['inventory']));
    const summary = (i: Inventory) => [i.scope, i.type, i.os.id, i.format, i.container ?? null, i.packages.map((p) => `${p.name} ${p.version}`)];
    assert.deepEqual(inventories.map(summary), [
      ['host', 'full', 'ubuntu', 'deb', null, ['containerd 1.7.2-0ubuntu1~22.04.1']],
      ['container', 'full', 'debian', 'deb', { id: A, image: 'docker.io/library/nginx:1.25', pod: 'web-1', namespace: 'shop' }, ['nginx 1.25.3-1~bookworm']],
      ['container', 'full', 'alpine', 'apk', { id: C, pod: 'cache-0', namespace: 'infra' }, ['musl 1.2.4_git20230717-r4']],
    ]);
    assert.ok(inventories[0]?.os.kernel, 'the host has its kernel');
    assert.equal(inventories[1]?.os.kernel, undefined, 'containers share the node kernel: none of their own');

    // The first nginx container ends: the other one (same image) stands for the image, with no new inventory; a
    // package installed in it is a delta of that container.
    rmSync(join(proc, '200'), { recursive: true });
    rmSync(join(proc, '210'), { recursive: true });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(spool.depth().events, 3);
    put(join(proc, '300/root/var/lib/dpkg/status'), 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.25.3-1~bookworm\n\nPackage: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10\n');
    for (let i = 0; i < 200 && spool.depth().events < 4; i++) await new Promise((r) => setTimeout(r, 20));
    const delta = validators.inventory.assert(validators.rawEvent.parse(spool.peek(10)[3]?.data ?? '{}').payload?.['inventory']);
    assert.deepEqual([delta.scope, delta.type, delta.container, delta.packages, delta.removed], [
      'container',
      'delta',
      { id: B, image: 'docker.io/library/nginx:1.25', pod: 'web-2', namespace: 'shop' },
      [{ name: 'curl', version: '7.88.1-10', arch: 'amd64' }],
      [],
    ]);
  } finally {
    await source?.stop();
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a host without a package database is one notice naming its root; a corrupt status is a notice naming the file, with what could be read sent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-inventory-none-'));
  const spool = new SpoolStore(join(dir, 'spool.db'), { id: 'node-1', name: 'node-1' }, 16 * 1024 * 1024);
  let source: InventorySource | undefined;
  try {
    const root = join(dir, 'root');
    mkdirSync(root);
    const config = Value.Default(InventoryConfig, { hostRoot: root, pollSeconds: 0.02 }) as InventoryConfig;
    source = new InventorySource({ config, spool, logger: createLogger({ level: 'silent' }) });
    await source.start();
    await new Promise((r) => setTimeout(r, 200)); // several polls: still one notice
    const peeked = spool.peek(10);
    const events = peeked.map((e) => validators.rawEvent.parse(e.data));
    assert.deepEqual(
      events.map((e) => e.log),
      [`vigil-collector: inventory_unavailable: '${root}': no package database found (looked for var/lib/dpkg/status, lib/apk/db/installed, usr/lib/sysimage/rpm, var/lib/rpm)`],
    );
    spool.ack(peeked);

    put(join(root, 'var/lib/dpkg/status'), 'Package: ok\nStatus: install ok installed\nVersion: 1\n\n\u0000\u0001garbage\n');
    for (let i = 0; i < 200 && spool.depth().events < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const next = spool.peek(10).map((e) => validators.rawEvent.parse(e.data));
    assert.deepEqual(
      next.map((e) => [e.kind, e.log ?? (e.payload?.['inventory'] as Inventory).packages]),
      [
        ['log', `vigil-collector: inventory_unreadable: '${join(root, 'var/lib/dpkg/status')}': 1 record(s) could not be read, first: line 5: not a 'Field: value' line: '\u0000\u0001garbage'`],
        ['inventory', [{ name: 'ok', version: '1' }]],
      ],
    );
  } finally {
    await source?.stop();
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
