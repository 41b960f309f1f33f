import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectBus, createLogger } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { startServices } from '../../src/services.ts';
import { REPO, testConfig, testConfigDocument, VIGIL_BIN, writeConfigFile } from '../harness.ts';

const run = promisify(execFile);
const nats = useTestNats();

test('raw messages that fail validation land on the DLQ with their reason, and `vigil dlq` shows them', { skip: nats.skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dlq-'));
  const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [] });
  const config = testConfig(document);
  const logger = createLogger({ level: 'silent' });
  const running = await startServices(['decoder'], config, logger);
  const bus = await connectBus(config.nats, logger, 'test-publisher');
  try {
    const good = {
      v: 1,
      id: 'agent-1:0',
      seq: 0,
      agent: { id: 'agent-1', name: 'host-1' },
      kind: 'log',
      location: '/var/log/auth.log',
      collectedAt: new Date().toISOString(),
      log: 'hello',
    };
    await bus.js.publish(bus.subjects.raw('agent-1', 'log'), JSON.stringify({ ...good, id: 'agent-1:1', seq: 'one' }));
    await bus.js.publish(bus.subjects.raw('agent-1', 'log'), 'this is not json {');
    await bus.js.publish(bus.subjects.raw('agent-2', 'log'), JSON.stringify({ ...good, id: 'agent-1:2', seq: 2 }));
    await bus.js.publish(bus.subjects.raw('agent-1', 'log'), new Uint8Array([0xff, 0xfe, 0x00]));
    await waitFor(async () => (await bus.jsm.streams.info(bus.streams.dlq)).state.messages === 4, 20_000, '4 dead letters');

    const { stdout } = await run(VIGIL_BIN, ['dlq', '--json'], { cwd: REPO, env: { ...process.env, VIGIL_CONFIG: writeConfigFile(dir, document), NATS_URL: nats.url } });
    const letters = stdout.trim().split('\n').map((l) => JSON.parse(l) as { stage: string; code: string; reason: string; subject: string; data: string; encoding: string });
    assert.equal(letters.length, 4);
    assert.deepEqual(letters.map((l) => [l.stage, l.code]), [
      ['decoder', 'EVENT_INVALID'],
      ['decoder', 'EVENT_NOT_JSON'],
      ['decoder', 'AGENT_MISMATCH'],
      ['decoder', 'EVENT_NOT_JSON'],
    ]);
    assert.match(letters[0]?.reason ?? '', /field 'seq'/);
    assert.match(letters[2]?.reason ?? '', /agent id 'agent-1' in the event differs from 'agent-2'/);
    assert.equal(letters[1]?.data, 'this is not json {');
    assert.equal(letters[3]?.encoding, 'base64');
    assert.equal(Buffer.from(letters[3]?.data ?? '', 'base64').toString('hex'), 'fffe00');

    const text = await run(VIGIL_BIN, ['dlq'], { cwd: REPO, env: { ...process.env, VIGIL_CONFIG: writeConfigFile(dir, document), NATS_URL: nats.url } });
    assert.match(text.stdout, /decoder EVENT_INVALID: invalid raw event: field 'seq'/);
  } finally {
    await bus.nc.close();
    await running.stop();
  }
});
