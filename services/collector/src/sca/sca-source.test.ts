import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { createLogger, validators } from '@vigil/common';
import { SpoolStore } from '../adapters/spool-store.ts';
import { CollectorConfig } from '../config.ts';
import type { EventSource } from '../sources/event-source.ts';
import { fixtureHost, makeRoot } from './fixture-host.ts';
import { ScaConfig } from './sca-config.ts';
import { scaSourceFactory } from './sca-source.ts';

test('the SCA source spools valid raw events of kind sca: the checks of the first scan, then the summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sca-source-'));
  const root = makeRoot({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n' });
  const agent = { id: 'node-1', name: 'node-1' };
  const spool = new SpoolStore(join(dir, 'spool.db'), agent, 16 * 1024 * 1024);
  let sources: EventSource[] = [];
  try {
    writeFileSync(
      join(dir, 'p.yml'),
      `policy: {id: p, file: p.yml, name: P, description: d}\nchecks:\n  - {id: 1, title: "passwd exists", condition: all, rules: ["f:/etc/passwd"]}\n`,
    );
    const config = Value.Default(ScaConfig, { policies: [join(dir, 'p.yml')] }) as ScaConfig;
    const collectorConfig = Value.Default(CollectorConfig, { stateDir: join(dir, 'state') }) as CollectorConfig;
    const made = scaSourceFactory(config, { host: fixtureHost(root) })({ agent, spool, logger: createLogger({ level: 'silent' }), config: collectorConfig });
    sources = Array.isArray(made) ? made : [made];
    assert.equal(sources.length, 1);
    await sources[0]?.start();
    for (let i = 0; i < 100 && spool.depth().events < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const events = spool.peek(10).map((e) => validators.rawEvent.parse(e.data));
    assert.deepEqual(
      events.map((e) => [e.id, e.kind, e.location, (e.payload?.['sca'] as { type: string }).type]),
      [
        [`node-1:${events[0]?.seq}`, 'sca', 'sca', 'check'],
        [`node-1:${(events[0]?.seq ?? 0) + 1}`, 'sca', 'sca', 'summary'],
      ],
    );
    assert.equal(((events[0]?.payload?.['sca'] as { check: { result: string } }).check.result), 'passed');
    const disabled = scaSourceFactory({ ...config, enabled: false })({ agent, spool, logger: createLogger({ level: 'silent' }), config: collectorConfig });
    assert.deepEqual(disabled, []);
  } finally {
    for (const s of sources) await s.stop();
    spool.close();
    root.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
