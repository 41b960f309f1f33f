import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validators, type InventoryPackage } from '@vigil/common';
import { parseApkInstalled } from './apk-installed.ts';
import { parseDpkgStatus } from './dpkg-status.ts';
import { diffPackages, isEmptyDelta } from './inventory-delta.ts';
import { joinInventory, splitInventory, type InventoryDraft } from './inventory-parts.ts';
import { dedupeKey, imageOfBundleConfig, inventoryContainer, runningContainers } from './node-containers.ts';
import { parseOsRelease } from './os-release.ts';
import { parseRpmQuery, sourceRpmName } from './rpm-query.ts';

test('os-release: id, version, codename and pretty name, quoted or not; no ID is unknown', () => {
  const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';
  assert.deepEqual(parseOsRelease(debian), { id: 'debian', versionId: '12', codename: 'bookworm', name: 'Debian GNU/Linux 12 (bookworm)' });
  assert.deepEqual(parseOsRelease("NAME='Alpine Linux'\nID=alpine\nVERSION_ID=3.19.1\n"), { id: 'alpine', versionId: '3.19.1', name: 'Alpine Linux' });
  assert.deepEqual(parseOsRelease('ID="rhel"\nVERSION_ID="9.3"\nNAME="Red Hat \\"Enterprise\\" Linux"\n'), { id: 'rhel', versionId: '9.3', name: 'Red Hat "Enterprise" Linux' });
  assert.deepEqual(parseOsRelease('NAME=Ubuntu\nUBUNTU_CODENAME=jammy\nID=ubuntu\n'), { id: 'ubuntu', codename: 'jammy', name: 'Ubuntu' });
  assert.deepEqual(parseOsRelease(''), { id: 'unknown' });
});

const STATUS = `Package: libssl3
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u2
Description: Secure Sockets Layer toolkit
 This package is part of the OpenSSL project's implementation.
 .
 It provides the libssl and libcrypto shared libraries.

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14

Package: libcap2
Status: install ok installed
Architecture: amd64
Source: libcap2 (1:2.66-4)
Version: 1:2.66-4

Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b2
Source: bash (5.2.15-2)

Package: base-files
Status: hold ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: old-lib
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: half
Status: install reinstreq half-installed
Architecture: amd64
Version: 2.0-1

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9+deb12u4
Source: glibc

Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9+deb12u4
Source: glibc
`;

test('dpkg status: installed packages only, with their source package and version (name, or name (version))', () => {
  const list = parseDpkgStatus(STATUS);
  assert.equal(list.format, 'deb');
  assert.deepEqual(list.problems, []);
  assert.deepEqual(list.packages, [
    { name: 'base-files', version: '12.4+deb12u5', arch: 'amd64' },
    { name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', sourceVersion: '5.2.15-2' },
    { name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64', source: 'glibc' },
    { name: 'libc6', version: '2.36-9+deb12u4', arch: 'i386', source: 'glibc' },
    { name: 'libcap2', version: '1:2.66-4', arch: 'amd64' },
    { name: 'libgcc-s1', version: '12.2.0-14', arch: 'amd64', source: 'gcc-12' },
    { name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64', source: 'openssl' },
  ]);
});

test('dpkg status: a corrupt database yields what it can, and names the lines it could not read', () => {
  const list = parseDpkgStatus('Package: a\nStatus: install ok installed\nVersion: 1\n\ngarbage without colon\nPackage: b\n\nPackage: c\nStatus: install ok installed\n\nStatus: install ok installed\nVersion: 2\n');
  assert.deepEqual(list.packages, [{ name: 'a', version: '1' }]);
  assert.deepEqual(list.problems, [
    "line 5: not a 'Field: value' line: 'garbage without colon'",
    'line 8: package c is installed but has no Version',
    'line 11: a paragraph without Package',
  ]);
  assert.deepEqual(parseDpkgStatus('\u0000\u0001\u0002binary').packages, []);
  assert.equal(parseDpkgStatus('\u0000\u0001\u0002binary').problems.length, 1);
});

/** An apk database as Alpine writes it (/lib/apk/db/installed), with the per-file lines between packages' fields. */
const APK = [
  ['C:Q1abc=', 'P:musl', 'V:1.2.4_git20230717-r4', 'A:x86_64', 'S:383152', 'I:622592', 'T:the musl c library', 'o:musl', 'm:Timo Teräs', 't:1705331452', 'F:lib', 'R:ld-musl-x86_64.so.1', 'a:0:0:755', 'Z:Q1xyz='],
  ['C:Q1def=', 'P:libcrypto3', 'V:3.1.4-r5', 'A:x86_64', 'o:openssl', 'F:usr/lib', 'R:libcrypto.so.3', 'F:etc/ssl'],
  ['P:busybox-binsh', 'V:1.36.1-r15', 'A:x86_64', 'o:busybox'],
]
  .map((p) => p.join('\n'))
  .join('\n\n');

test('apk installed: name, version, architecture and origin (the source package) of each package', () => {
  const list = parseApkInstalled(`${APK}\n\n`);
  assert.equal(list.format, 'apk');
  assert.deepEqual(list.problems, []);
  assert.deepEqual(list.packages, [
    { name: 'busybox-binsh', version: '1.36.1-r15', arch: 'x86_64', source: 'busybox' },
    { name: 'libcrypto3', version: '3.1.4-r5', arch: 'x86_64', source: 'openssl' },
    { name: 'musl', version: '1.2.4_git20230717-r4', arch: 'x86_64' },
  ]);
  const bad = parseApkInstalled('P:nover\nA:x86_64\n\nthis is not apk\n');
  assert.deepEqual(bad.packages, []);
  assert.deepEqual(bad.problems, ['line 1: a package without V: (version)', "line 4: not an 'X:value' line: 'this is not apk'"]);
});

test('rpm query output: epoch in the version, the source RPM name without version, gpg-pubkey without arch or source', () => {
  assert.equal(sourceRpmName('bash-5.1.8-6.el9.src.rpm'), 'bash');
  assert.equal(sourceRpmName('python3-pip-21.3.1-1.el9.src.rpm'), 'python3-pip');
  assert.equal(sourceRpmName('kernel-5.14.0-362.8.1.el9_3.nosrc.rpm'), 'kernel');
  assert.equal(sourceRpmName('nonsense'), undefined);
  const list = parseRpmQuery(
    'openssl-libs\t1:3.0.7-24.el9\tx86_64\topenssl-3.0.7-24.el9.src.rpm\nbash\t5.1.8-6.el9\tx86_64\tbash-5.1.8-6.el9.src.rpm\ngpg-pubkey\tfd431d51-4ae0493b\t(none)\t(none)\nbroken line\n',
  );
  assert.deepEqual(list.packages, [
    { name: 'bash', version: '5.1.8-6.el9', arch: 'x86_64' },
    { name: 'gpg-pubkey', version: 'fd431d51-4ae0493b' },
    { name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64', source: 'openssl' },
  ]);
  assert.deepEqual(list.problems, ["line 4: not name, version, arch and source RPM: 'broken line'"]);
});

const pkg = (name: string, version: string, extra: Partial<InventoryPackage> = {}): InventoryPackage => ({ name, version, arch: 'amd64', ...extra });

test('delta: installed, removed (with the version it had) and upgraded (with the new one), matched by name and architecture', () => {
  const before = [pkg('bash', '5.2.15-2'), pkg('curl', '7.88.1-10'), pkg('libc6', '2.36-9', { arch: 'i386' }), pkg('libc6', '2.36-9'), pkg('openssl', '3.0.11-1')];
  const after = [pkg('bash', '5.2.15-2'), pkg('curl', '7.88.1-10+deb12u5'), pkg('libc6', '2.36-9'), pkg('openssl', '3.0.9-1'), pkg('vim', '2:9.0.1378-2')];
  assert.deepEqual(diffPackages(before, after), {
    installed: [pkg('vim', '2:9.0.1378-2')],
    removed: [pkg('libc6', '2.36-9', { arch: 'i386' })],
    upgraded: [pkg('curl', '7.88.1-10+deb12u5'), pkg('openssl', '3.0.9-1')],
  });
  assert.ok(isEmptyDelta(diffPackages(before, [...before].reverse())));
  // A new source version of the same binary version (a binNMU's source changed) is a change.
  assert.deepEqual(diffPackages([pkg('a', '1')], [pkg('a', '1', { sourceVersion: '0.9' })]).upgraded, [pkg('a', '1', { sourceVersion: '0.9' })]);
});

const draft = (packages: InventoryPackage[], removed?: InventoryPackage[]): InventoryDraft => ({
  scope: 'host',
  type: removed ? 'delta' : 'full',
  collectedAt: '2026-12-06T10:00:00.000Z',
  os: { id: 'debian', versionId: '12', codename: 'bookworm', kernel: '6.1.0-18-amd64' },
  format: 'deb',
  packages,
  ...(removed ? { removed } : {}),
});

test('parts: at most N packages (removed ones included) per event, numbered, one shared id, each a valid inventory; joined back whole', () => {
  const packages = Array.from({ length: 2501 }, (_, i) => pkg(`p${String(i).padStart(5, '0')}`, `1.${i}`));
  const parts = splitInventory(draft(packages), 'inv-1', 1000);
  assert.deepEqual(
    parts.map((p) => [p.part, p.parts, p.inventoryId, p.packages.length, p.removed]),
    [
      [1, 3, 'inv-1', 1000, undefined],
      [2, 3, 'inv-1', 1000, undefined],
      [3, 3, 'inv-1', 501, undefined],
    ],
  );
  for (const p of parts) validators.inventory.assert(p);
  assert.deepEqual(joinInventory(parts), draft(packages));

  const delta = splitInventory(draft(packages.slice(0, 3), packages.slice(3, 5)), 'inv-2', 2);
  assert.deepEqual(
    delta.map((p) => [p.part, p.parts, p.packages.map((x) => x.name), p.removed?.map((x) => x.name)]),
    [
      [1, 3, ['p00000', 'p00001'], []],
      [2, 3, ['p00002'], ['p00003']],
      [3, 3, [], ['p00004']],
    ],
  );
  assert.deepEqual(joinInventory(delta), draft(packages.slice(0, 3), packages.slice(3, 5)));
  // An empty database is still one event saying so.
  assert.deepEqual(splitInventory(draft([]), 'inv-3', 10).map((p) => [p.part, p.parts, p.packages]), [[1, 1, []]]);
  assert.throws(() => splitInventory(draft([]), 'x', 0), /positive integer/);
});

test('parts of the largest inventories stay far below the NATS max payload (1 MiB)', () => {
  const long = 'x'.repeat(60);
  const packages = Array.from({ length: 5000 }, (_, i) => pkg(`lib${long}${i}`, `1:${i}.${long}-1`, { source: `src${long}${i}`, sourceVersion: `${i}.${long}` }));
  for (const part of splitInventory(draft(packages), 'inv', 1000)) {
    const bytes = Buffer.byteLength(JSON.stringify({ payload: { inventory: part } }));
    assert.ok(bytes < 512 * 1024, `a part of 1000 long-named packages is ${bytes} bytes`);
  }
});

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const UID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

test('node containers: each container once with its first process, pod from the kubelet log names, image from the bundle annotations', () => {
  const processes = [
    { pid: 1, cgroup: '0::/init.scope\n' },
    { pid: 4100, cgroup: `0::/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${A}.scope\n` },
    { pid: 3999, cgroup: `0::/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${A}.scope\n` },
    { pid: 5000, cgroup: `0::/system.slice/docker-${B}.scope\n` },
    { pid: 5001, cgroup: 'garbage' },
  ];
  const running = runningContainers(processes);
  assert.deepEqual(
    running.map((r) => [r.ref.id, r.pid]),
    [
      [A, 3999],
      [B, 5000],
    ],
  );
  const digest = `sha256:${'c'.repeat(64)}`;
  const containerd = JSON.stringify({ ociVersion: '1.1.0', annotations: { 'io.kubernetes.cri.container-type': 'container', 'io.kubernetes.cri.image-name': 'docker.io/library/nginx:1.25' } });
  const crio = JSON.stringify({ annotations: { 'io.kubernetes.cri-o.ImageName': 'quay.io/x/app:2', 'io.kubernetes.cri-o.ImageRef': `quay.io/x/app@${digest}` } });
  assert.deepEqual(imageOfBundleConfig(containerd), { image: 'docker.io/library/nginx:1.25' });
  assert.deepEqual(imageOfBundleConfig(crio), { image: 'quay.io/x/app:2', imageDigest: digest });
  assert.deepEqual(imageOfBundleConfig('not json'), {});
  const first = running[0];
  assert.ok(first);
  const named = inventoryContainer(first, imageOfBundleConfig(crio), [`web-7d9f_shop_nginx-${A}.log`], [`shop_web-7d9f_${UID}`]);
  assert.deepEqual(named, { id: A, image: 'quay.io/x/app:2', imageDigest: digest, pod: 'web-7d9f', namespace: 'shop' });
  assert.deepEqual(inventoryContainer(first, {}, [], [`shop_web-7d9f_${UID}`]), { id: A, pod: 'web-7d9f', namespace: 'shop' });
  // One inventory per image: by digest, else by image name, else by the database's fingerprint.
  assert.equal(dedupeKey(named, 'f'), `digest:${digest}`);
  assert.equal(dedupeKey({ id: A, image: 'nginx:1.25' }, 'f'), 'image:nginx:1.25');
  assert.equal(dedupeKey({ id: A }, 'f'), 'db:f');
  assert.equal(dedupeKey({ id: A }, undefined), `db:${A}`);
});
