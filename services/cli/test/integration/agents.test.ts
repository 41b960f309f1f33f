import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@vigil/common';
import { openAgentRegistry } from '@vigil/collector';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { startServices } from '../../src/services.ts';
import { REPO, testConfig, testConfigDocument, VIGIL_BIN, writeConfigFile } from '../harness.ts';

const run = promisify(execFile);
const nats = useTestNats();

test('`vigil agents` lists the hosts that report, and says which are silent and since when', { skip: nats.skip, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-agents-'));
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [] });
  const config = testConfig(document);
  const running = await startServices(['collector'], config, createLogger({ level: 'silent' }));
  const env = { ...process.env, VIGIL_CONFIG: writeConfigFile(dir, document), NATS_URL: nats.url };
  try {
    const kv = await openAgentRegistry(running.bus.nc);
    await waitFor(async () => (await kv.get('agent-1'))?.operation === 'PUT', 20_000, 'the collector to announce itself');
    // A host that stopped sending keepalives an hour ago.
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await kv.put('old-host', JSON.stringify({
      id: 'old-host', name: 'old-host', version: '0.1.0',
      os: { name: 'Debian GNU/Linux', version: '12', platform: 'linux', arch: 'x64', kernel: '6.1', hostname: 'old-host' },
      first_seen: '2026-01-01T00:00:00.000Z', last_keepalive: hourAgo, status: 'active',
    }));

    const json = await run(VIGIL_BIN, ['agents', '--json'], { cwd: REPO, env });
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; name: string; status: string; silent_seconds: number });
    assert.deepEqual(records.map((r) => [r.id, r.name, r.status]), [['agent-1', 'host-1', 'active'], ['old-host', 'old-host', 'active']]);
    assert.ok((records[0]?.silent_seconds ?? 99) < 60);
    assert.ok((records[1]?.silent_seconds ?? 0) >= 3599);

    const text = await run(VIGIL_BIN, ['agents'], { cwd: REPO, env });
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^host-1 \(agent-1\)  10\.1\.2\.3  vigil \S+ .* active$/);
    assert.match(lines[1] ?? '', new RegExp(`^old-host \\(old-host\\)  -  vigil 0\\.1\\.0  Debian GNU/Linux 12  first seen 2026-01-01T00:00:00.000Z  SILENT since ${hourAgo.replace(/\./g, '\\.')} \\(\\d+ s\\)$`));
  } finally {
    await running.stop();
  }
});
