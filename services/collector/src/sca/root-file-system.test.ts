import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeRoot } from './fixture-host.ts';
import { RootFileSystem } from './root-file-system.ts';

const root = makeRoot({
  '/etc/os-release': 'ID=debian\n',
  '/etc/localtime': { link: '/usr/share/zoneinfo/UTC' },
  '/usr/share/zoneinfo/UTC': 'TZif\n',
  '/etc/relative': { link: '../usr/share/zoneinfo/UTC' },
  '/etc/escape': { link: '../../../../../../etc/os-release' },
  '/etc/dangling': { link: '/nowhere' },
  '/etc/loop': { link: '/etc/loop' },
  '/etc/sysctl.d': { dir: true },
  '/lib': { link: 'usr/lib' },
  '/usr/lib/modules.conf': 'x\n',
});
after(() => root.cleanup());
const fs = new RootFileSystem(root.path);

test('paths are read under the root; absolute and relative links stay inside it', async () => {
  assert.deepEqual(await fs.readText('/etc/os-release'), { ok: true, text: 'ID=debian\n' });
  assert.deepEqual(await fs.readText('/etc/localtime'), { ok: true, text: 'TZif\n' });
  assert.deepEqual(await fs.readText('/etc/relative'), { ok: true, text: 'TZif\n' });
  assert.deepEqual(await fs.readText('/etc/escape'), { ok: true, text: 'ID=debian\n' }, "'..' never climbs above the root");
  assert.deepEqual(await fs.readText('/lib/modules.conf'), { ok: true, text: 'x\n' }, 'a link in the middle of a path');
});

test('probe tells files, directories, missing paths and errors apart', async () => {
  assert.deepEqual(await fs.probe('/etc/os-release'), { ok: true, kind: 'file' });
  assert.deepEqual(await fs.probe('/etc/sysctl.d'), { ok: true, kind: 'directory' });
  assert.deepEqual(await fs.probe('/etc/missing'), { ok: true, kind: 'missing' });
  assert.deepEqual(await fs.probe('/etc/dangling'), { ok: true, kind: 'missing' });
  assert.deepEqual(await fs.probe('/etc/loop'), { ok: false, error: 'ELOOP' });
  assert.deepEqual(await fs.probe('/etc/os-release/x'), { ok: false, error: 'ENOTDIR' });
});

test('directories list their entries; links are not descended into', async () => {
  const r = await fs.readDirectory('/etc');
  assert.ok(r.ok);
  const byName = Object.fromEntries(r.entries.map((e) => [e.name, e.isDirectory]));
  assert.equal(byName['sysctl.d'], true);
  assert.equal(byName['localtime'], false);
});
