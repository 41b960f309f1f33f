import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@vigil/common';
import { IndexerConfig } from './config.ts';
import { startStandaloneQueryApi } from './indexer-service.ts';
import { SqliteAlertStore } from './adapters/sqlite-store.ts';
import { sshAlert } from '../test/alert-fixtures.ts';

test('the standalone query API reads what another connection keeps writing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-api-standalone-'));
  const path = join(dir, 'vigil.db');
  const store = new SqliteAlertStore(path);
  const config = loadConfig(IndexerConfig, { document: { sqlite: { path }, api: { enabled: true, port: 0 } } });
  const api = await startStandaloneQueryApi({ logger: createLogger({ level: 'silent' }), config });
  t.after(async () => {
    await api.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = async () => ((await (await fetch(`${String(api.info['api'])}/alerts?count=true`)).json()) as { total: number }).total;
  assert.equal(await count(), 0);
  store.write([sshAlert(1), sshAlert(2)]);
  assert.equal(await count(), 2);
  store.write([sshAlert(3)]);
  assert.equal(await count(), 3);
});
