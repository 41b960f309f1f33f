import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, type Alert } from '@vigil/common';
import { SqliteAlertStore, openAlertsReadOnly, startQueryApi } from '@vigil/indexer';
import { VigilConfig } from '../config.ts';
import { alertsCommand, buildAlertQuery } from './alerts.ts';

const NOW = Date.UTC(2024, 4, 10, 12);

function alert(n: number, level: number, groups: string[]): Alert {
  return {
    timestamp: new Date(NOW - n * 60_000).toISOString().replace('Z', '+0000'),
    rule: { level, description: `rule ${n}`, id: String(5700 + n), firedtimes: 1, mail: false, groups, pci_dss: ['10.2.4'] },
    agent: { id: '001', name: 'web01' },
    manager: { name: 'm' },
    id: `a${n}`,
    full_log: `sshd: Failed password for user${n}`,
    location: '/var/log/auth.log',
  };
}

test('flags become a query through the API parser; bad values name the flag', () => {
  assert.deepEqual(buildAlertQuery({ level: '7', group: 'sshd', compliance: 'pci_dss:10.2.4', search: 'user3', since: '1h', limit: '5' }, NOW), {
    since: NOW - 3_600_000,
    minLevel: 7,
    group: 'sshd',
    compliance: 'pci_dss:10.2.4',
    text: 'user3',
    limit: 5,
    offset: 0,
    order: 'desc',
  });
  assert.deepEqual(buildAlertQuery({}, NOW), { limit: 50, offset: 0, order: 'desc' });
  assert.throws(() => buildAlertQuery({ level: 'x' }), /--level: 'x' is not a whole number/);
  assert.throws(() => buildAlertQuery({ level: '20' }), /--level: 20 is out of range 0\.\.16/);
  assert.throws(() => buildAlertQuery({ compliance: 'iso' }), /--compliance: 'iso' is not a compliance standard/);
  assert.throws(() => buildAlertQuery({ since: 'soon' }), /--since/);
});

test('vigil alerts reads the SQLite file, or the query API with --api', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-alerts-'));
  const path = join(dir, 'alerts.db');
  const store = new SqliteAlertStore(path);
  store.write([alert(1, 5, ['sshd']), alert(2, 10, ['sshd', 'authentication_failures']), alert(3, 3, ['web'])]);
  store.close();
  const reader = openAlertsReadOnly(path);
  const token = 'a-token-of-sixteen-chars';
  const api = await startQueryApi({ reader, logger: createLogger({ level: 'silent' }), host: '127.0.0.1', port: 0, token, maxLimit: 100 });
  t.after(async () => {
    await api.stop();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = loadConfig(VigilConfig, { document: { indexer: { sqlite: { path }, api: { token } } } });
  const lines: string[] = [];
  await alertsCommand(config, { level: '5', group: 'sshd' }, (l) => lines.push(l));
  assert.deepEqual(lines.map((l) => /rule (\d+)/.exec(l)?.[1]), ['5701', '5702']);
  const viaApi: string[] = [];
  await alertsCommand(config, { level: '5', group: 'sshd', api: api.url }, (l) => viaApi.push(l));
  assert.deepEqual(viaApi, lines);
  const json: string[] = [];
  await alertsCommand(config, { search: 'user3', json: true, api: api.url }, (l) => json.push(l));
  assert.deepEqual(json.map((l) => (JSON.parse(l) as Alert).id), ['a3']);
  const noToken = loadConfig(VigilConfig, { document: { indexer: { sqlite: { path } } } });
  await assert.rejects(async () => alertsCommand(noToken, { api: api.url }, () => {}), /query API answered 401/);
});
