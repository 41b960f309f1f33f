import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, startRulesetRecord, type Bus } from '@vigil/common';
import { useTestNats } from '@vigil/common/testing';
import { SqliteAlertStore } from '@vigil/indexer';
import { SpoolStore } from '@vigil/collector';
import { VigilConfig, type VigilConfig as Config } from '../config.ts';
import { formatRulesets, formatStatus, statusCommand, type StoreStatus } from './status.ts';

const logger = createLogger({ level: 'silent' });
const MiB = 1024 * 1024;

test('the status table: one aligned line per store with its use, budget and share', () => {
  const stores: StoreStatus[] = [
    { store: 'index', name: '/data/vigil.db', usedBytes: 800 * MiB, budgetBytes: 1024 * MiB, atBudget: 'oldest alerts and archives removed' },
    { store: 'stream', name: 'HIDS_RAW', usedBytes: 1536, budgetBytes: -1, atBudget: 'drops the oldest', holds: '3 messages' },
    { store: 'stream', name: 'HIDS_DLQ', usedBytes: 0, budgetBytes: 0, atBudget: '', error: 'not created yet' },
  ];
  assert.deepEqual(formatStatus(stores), [
    'STORE   NAME            USED     BUDGET  USE  NOTES',
    'index   /data/vigil.db  800 MiB  1 GiB   78%  at the budget: oldest alerts and archives removed',
    'stream  HIDS_RAW        1.5 KiB  none    -    3 messages; at the budget: drops the oldest',
    'stream  HIDS_DLQ        -        -       -    unavailable: not created yet',
  ]);
});

test('the rulesets table: one line per replica, and a line for a service whose replicas disagree', () => {
  const at = '2026-12-06T10:00:00.000Z';
  assert.deepEqual(
    formatRulesets([
      { service: 'decoder', replica: 'decoder-0', hash: 'aaaa', loadedAt: at },
      { service: 'rule-engine', replica: 'rule-engine-0/0', hash: 'bbbb', loadedAt: at },
      { service: 'rule-engine', replica: 'rule-engine-1/1', hash: 'cccc', loadedAt: at },
    ]),
    [
      'SERVICE      REPLICA          RULESET  LOADED',
      `decoder      decoder-0        aaaa     ${at}`,
      `rule-engine  rule-engine-0/0  bbbb     ${at}`,
      `rule-engine  rule-engine-1/1  cccc     ${at}`,
      'rule-engine: replicas run 2 different rulesets (a reload in progress, or refused on some)',
    ],
  );
  assert.deepEqual(formatRulesets([]), ['no decoder or rule engine has recorded its ruleset yet']);
});

let bus: Bus;
let dir: string;
let config: Config;
const nats = useTestNats({
  started: async (server) => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-status-'));
    config = loadConfig(VigilConfig, {
      document: {
        nats: { url: server.url, streams: { raw: { maxBytes: 10 * MiB }, alerts: { maxBytes: 2 * MiB } } },
        indexer: { sqlite: { path: join(dir, 'vigil.db') }, retention: { maxBytes: 64 * MiB } },
        collector: { stateDir: join(dir, 'collector'), spool: { maxBytes: 8 * MiB } },
      },
    });
    bus = await connectBus(config.nats, logger, 'status-test');
  },
  stopping: async () => {
    await bus?.nc.close();
    rmSync(dir, { recursive: true, force: true });
  },
});

test('vigil status: the index, each stream and each spool against its budget', { skip: nats.skip, timeout: 60_000 }, async () => {
  const store = new SqliteAlertStore(config.indexer.sqlite.path);
  store.close();
  const results = await bus.publisher.publishAll(Array.from({ length: 10 }, (_, i) => ({ subject: bus.subjects.raw('agent-1', 'log'), data: `{"n":${i}}` })));
  assert.ok(results.every((r) => r.ok));
  // A spool with two unsent events, as a collector leaves it.
  const spool = new SpoolStore(join(config.collector.stateDir, 'spool-agent-1.db'), { id: 'agent-1', name: 'h1' }, config.collector.spool.maxBytes);
  spool.append([
    { kind: 'log', location: '/var/log/syslog', log: 'one' },
    { kind: 'log', location: '/var/log/syslog', log: 'two' },
  ]);
  const spooledBytes = spool.depth().bytes;
  spool.close();

  const record = startRulesetRecord(bus, logger, 'decoder', 'decoder-0');
  await record.loaded('abc123');
  record.stop();

  const lines: string[] = [];
  assert.equal(await statusCommand(config, logger, { json: true }, (l) => lines.push(l)), 0);
  const rulesets = lines.map((l) => JSON.parse(l) as { ruleset?: { service: string; replica: string; hash: string } }).flatMap((l) => (l.ruleset ? [l.ruleset] : []));
  assert.deepEqual(rulesets.map((r) => [r.service, r.replica, r.hash]), [['decoder', 'decoder-0', 'abc123']]);
  const stores = lines.map((l) => JSON.parse(l) as StoreStatus & { ratio?: number });
  const by = (store: string, name: string) => stores.find((s) => s.store === store && s.name.endsWith(name));
  assert.equal(by('index', 'vigil.db')?.budgetBytes, 64 * MiB);
  assert.ok((by('index', 'vigil.db')?.usedBytes ?? 0) > 0);
  const raw = by('stream', 'HIDS_RAW');
  assert.equal(raw?.budgetBytes, 10 * MiB);
  assert.equal(raw?.holds, '10 messages');
  assert.ok((raw?.usedBytes ?? 0) > 0 && (raw?.ratio ?? 1) < 0.01);
  assert.match(raw?.atBudget ?? '', /refuses new/);
  assert.equal(by('stream', 'HIDS_ALERTS')?.budgetBytes, 2 * MiB);
  assert.match(by('stream', 'HIDS_ALERTS')?.atBudget ?? '', /drops the oldest/);
  assert.deepEqual(
    { ...by('spool', 'spool-agent-1.db'), name: undefined },
    { store: 'spool', name: undefined, usedBytes: spooledBytes, budgetBytes: 8 * MiB, atBudget: 'sources pause, read later', holds: '2 events', ratio: spooledBytes / (8 * MiB) },
  );

  const text: string[] = [];
  await statusCommand(config, logger, {}, (l) => text.push(l));
  assert.match(text[0] ?? '', /^STORE\s+NAME\s+USED\s+BUDGET\s+USE\s+NOTES$/);
  assert.ok(text.some((l) => /^decoder\s+decoder-0\s+abc123\s/.test(l)), text.join('\n'));
  assert.ok(text.some((l) => /^stream\s+HIDS_RAW\s+\S+ \S+\s+10 MiB\s+0%\s+10 messages; at the budget: refuses new/.test(l)), text.join('\n'));
});

test('vigil status without NATS: the local stores, and exit code 1 naming the problem', { timeout: 30_000 }, async () => {
  const local = mkdtempSync(join(tmpdir(), 'vigil-status-'));
  try {
    const c = loadConfig(VigilConfig, { document: { nats: { url: 'nats://127.0.0.1:1' }, indexer: { sqlite: { path: join(local, 'none.db') } }, collector: { stateDir: join(local, 'c') } } });
    const lines: string[] = [];
    assert.equal(await statusCommand(c, logger, {}, (l) => lines.push(l)), 1);
    assert.match(lines.join('\n'), /^index\s+\S+none\.db\s+0 B\s+1 GiB\s+0%\s+not created yet/m);
    assert.match(lines.join('\n'), /^stream\s+all\s+-\s+-\s+-\s+unavailable: .*NATS/m);
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
});
