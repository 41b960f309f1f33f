import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';
import { findPackageDatabase, readOsRelease, readPackageDatabase } from './package-database.ts';

const hasDpkg = existsSync('/var/lib/dpkg/status') && spawnSync('dpkg-query', ['--version']).status === 0;

test('dpkg: every installed package of this machine, with its source package and version, as dpkg-query lists them', { skip: hasDpkg ? false : 'no dpkg database on this machine' }, async () => {
  const db = findPackageDatabase('/');
  assert.deepEqual(db, { format: 'deb', file: '/var/lib/dpkg/status' });
  const list = await readPackageDatabase(db);
  assert.deepEqual(list.problems, []);
  // The oracle: dpkg's own reader, for the packages whose status is "installed".
  const oracle = execFileSync('dpkg-query', ['-W', '-f=${db:Status-Status}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${Architecture}\\n'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('installed\t'))
    .map((l) => l.split('\t').slice(1).join(' '))
    .sort();
  const ours = list.packages.map((p) => [p.name, p.version, p.source ?? p.name, p.sourceVersion ?? p.version, p.arch].join(' ')).sort();
  assert.ok(ours.length > 10, `only ${ours.length} packages read`);
  assert.deepEqual(ours, oracle);
});

const hasRpm = spawnSync('rpm', ['--version']).status === 0 && spawnSync('rpmbuild', ['--version']).status === 0;
const rpmSkip = hasRpm ? false : 'rpm and rpmbuild are not installed (apt-get install -y rpm)';

/** A real rpmdb: two noarch packages (one a sub-package, so its source RPM has another name) built and recorded with Debian's rpm. */
function makeRpmRoot(dir: string): string {
  const top = join(dir, 'rpmbuild');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  writeFileSync(
    join(top, 'SPECS', 'demo.spec'),
    [
      'Name: vigil-demo',
      'Version: 1.2.3',
      'Release: 4.el9',
      'Epoch: 2',
      'Summary: demo',
      'License: MIT',
      'BuildArch: noarch',
      '%description',
      'demo',
      '%package -n libvigil-demo',
      'Summary: its library',
      '%description -n libvigil-demo',
      'lib',
      '%files',
      '%files -n libvigil-demo',
      '',
    ].join('\n'),
  );
  const root = join(dir, 'root');
  const dbPath = join(root, 'var/lib/rpm');
  mkdirSync(dbPath, { recursive: true });
  const quiet = { stdio: 'pipe' } as const;
  execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--define', `_dbpath ${dbPath}`, '-bb', join(top, 'SPECS', 'demo.spec')], quiet);
  execFileSync('rpm', ['--initdb', '--dbpath', dbPath], quiet);
  const rpms = ['vigil-demo-1.2.3-4.el9.noarch.rpm', 'libvigil-demo-1.2.3-4.el9.noarch.rpm'].map((f) => join(top, 'RPMS', 'noarch', f));
  execFileSync('rpm', ['-i', '--justdb', '--nodeps', '--dbpath', dbPath, ...rpms], quiet);
  return root;
}

test('rpm: the packages of a real rpmdb through rpm -qa, epoch in the version and the source RPM name', { skip: rpmSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rpmdb-'));
  try {
    const root = makeRpmRoot(dir);
    const db = findPackageDatabase(root);
    assert.deepEqual(db, { format: 'rpm', file: join(root, 'var/lib/rpm/rpmdb.sqlite'), dbPath: join(root, 'var/lib/rpm') });
    const list = await readPackageDatabase(db);
    assert.deepEqual(list, {
      format: 'rpm',
      packages: [
        { name: 'libvigil-demo', version: '2:1.2.3-4.el9', arch: 'noarch', source: 'vigil-demo' },
        { name: 'vigil-demo', version: '2:1.2.3-4.el9', arch: 'noarch' },
      ],
      problems: [],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt rpmdb, an unreadable dpkg status and a missing rpm tool are errors naming the file', { skip: rpmSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rpmdb-bad-'));
  try {
    mkdirSync(join(dir, 'var/lib/rpm'), { recursive: true });
    writeFileSync(join(dir, 'var/lib/rpm/rpmdb.sqlite'), 'this is not a database\n');
    const db = findPackageDatabase(dir);
    assert.ok(db);
    await assert.rejects(readPackageDatabase(db), (err: unknown) => {
      assert.ok(err instanceof VigilError);
      assert.equal(err.code, 'PACKAGE_DATABASE_UNREADABLE');
      assert.match(err.message, new RegExp(`cannot read the rpm package database ${join(dir, 'var/lib/rpm/rpmdb.sqlite')}: rpm -qa failed: error: `));
      return true;
    });
    await assert.rejects(readPackageDatabase(db, { rpmCommand: join(dir, 'no-such-rpm') }), /no-such-rpm -qa failed: .*ENOENT/);
    await assert.rejects(readPackageDatabase({ format: 'deb', file: join(dir, 'var/lib/dpkg/status') }), (err: unknown) => {
      assert.ok(err instanceof VigilError && err.code === 'PACKAGE_DATABASE_UNREADABLE');
      assert.match(err.message, /dpkg\/status: ENOENT/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('apk: found under a root, and read; the OS from etc/os-release, else usr/lib/os-release, else unknown', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-apk-'));
  try {
    assert.equal(findPackageDatabase(dir), undefined);
    assert.deepEqual(readOsRelease(dir), { id: 'unknown' });
    mkdirSync(join(dir, 'lib/apk/db'), { recursive: true });
    mkdirSync(join(dir, 'usr/lib'), { recursive: true });
    writeFileSync(join(dir, 'lib/apk/db/installed'), 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:libssl3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\n');
    writeFileSync(join(dir, 'usr/lib/os-release'), 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n');
    const db = findPackageDatabase(dir);
    assert.deepEqual(db, { format: 'apk', file: join(dir, 'lib/apk/db/installed') });
    assert.deepEqual((await readPackageDatabase(db)).packages, [
      { name: 'libssl3', version: '3.1.4-r5', arch: 'x86_64', source: 'openssl' },
      { name: 'musl', version: '1.2.4-r2', arch: 'x86_64' },
    ]);
    assert.deepEqual(readOsRelease(dir), { id: 'alpine', versionId: '3.19.1', name: 'Alpine Linux' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
