import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { FimConfig } from '../../fim-config.ts';
import { effectiveFimDirectories } from './fim-directories.ts';
import { fimStatusLines } from './fim-status.ts';

const config = (document: Record<string, unknown>) => Value.Default(FimConfig, document) as FimConfig;

test('the default directories are watched as they change: who-data, realtime as its fallback', () => {
  const dirs = effectiveFimDirectories(config({}));
  assert.deepEqual(dirs.map((d) => d.path), ['/etc', '/usr/bin', '/usr/sbin', '/boot']);
  for (const d of dirs) assert.equal(d.realtime && d.whodata, true, d.path);
});

test("a user's directories add to the defaults; an entry for a default path replaces that default", () => {
  const dirs = effectiveFimDirectories(config({ directories: [{ path: '/srv/app' }, { path: '/etc/', realtime: false, whodata: false }] }));
  assert.deepEqual(dirs.map((d) => d.path), ['/usr/bin', '/usr/sbin', '/boot', '/srv/app', '/etc/']);
  const etc = dirs.find((d) => d.path === '/etc/');
  assert.equal(etc?.realtime, false);
  assert.equal(etc?.whodata, false);
});

test('replaceDefaults: true monitors only the listed directories', () => {
  const dirs = effectiveFimDirectories(config({ replaceDefaults: true, directories: [{ path: '/srv/app' }] }));
  assert.deepEqual(dirs.map((d) => d.path), ['/srv/app']);
});

test('banner lines: who-data on, who-data off with the reason and the one command, realtime and scheduled-only', () => {
  const dirs = [
    { path: '/etc', realtime: true, whodata: true },
    { path: '/srv', realtime: true, whodata: false },
    { path: '/opt', realtime: false, whodata: false },
  ];
  assert.deepEqual(fimStatusLines({ directories: dirs, whodataOff: undefined, frequencySeconds: 43200 }), [
    'fim: who-data on (auditd: who changed what) for /etc',
    'fim: realtime (inotify) for /srv',
    'fim: scheduled scan every 12 h only for /opt',
  ]);
  const off = fimStatusLines({ directories: dirs.slice(0, 1), whodataOff: 'auditd is not running', frequencySeconds: 43200 });
  assert.deepEqual(off, [
    'fim: who-data off (auditd is not running); /etc watched in realtime (inotify) instead; to turn it on, as root: apt-get install -y auditd && auditd && auditctl -e 1',
  ]);
  assert.match(fimStatusLines({ directories: dirs.slice(0, 1), whodataOff: 'not running as root', frequencySeconds: 60 })[0] ?? '', /run the collector as root/);
});
