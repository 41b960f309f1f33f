import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { SERVICE_NAMES, startServices } from '../../src/services.ts';
import { sshdLine, startWebhookRecorder, testConfig, testConfigDocument, type WebhookRecorder } from '../harness.ts';

let slack: WebhookRecorder;
const nats = useTestNats({
  started: async () => {
    slack = await startWebhookRecorder();
  },
  stopping: async () => {
    await slack?.close();
  },
});

test('lines appended to a watched file become alert rows in SQLite and exactly one Slack post per alert', { skip: nats.skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const watched = join(dir, 'auth.log');
  writeFileSync(watched, sshdLine('Failed password for root from 10.0.0.1 port 1 ssh2') + '\n'); // before start: not read
  const config = testConfig(testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: nats.url, watched: [watched], webhookUrl: slack.url }));
  const running = await startServices(SERVICE_NAMES, config, createLogger({ level: 'warn' }));
  try {
    const lines: string[] = [];
    let alerting = 0;
    for (let i = 0; i < 60; i++) {
      if (i % 3 === 0) {
        lines.push(sshdLine(`Failed password for user${i} from 10.0.0.${i} port ${1000 + i} ssh2`));
        alerting++;
      } else if (i % 3 === 1) {
        lines.push(sshdLine(`Connection closed by 10.0.0.${i} port ${1000 + i} [preauth]`)); // matches no alerting rule
      } else {
        lines.push(`garbage line ${i} without any header`);
      }
    }
    appendFileSync(watched, lines.join('\n') + '\n');
    const db = new Database(config.indexer.sqlite.path, { readonly: true, fileMustExist: false });
    const count = () => (db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
    await waitFor(() => count() === alerting && slack.posts.length === alerting, 30_000, `${alerting} alerts indexed and posted`);
    // Give redeliveries a chance to show up as duplicates, then check nothing more arrived.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(count(), alerting);
    assert.equal(slack.posts.length, alerting);
    const rows = db.prepare('SELECT id, rule_id, level, json FROM alerts').all() as Array<{ id: string; rule_id: string; level: number; json: string }>;
    const logs = rows.map((r) => (JSON.parse(r.json) as { full_log: string }).full_log).sort();
    assert.deepEqual(logs, lines.filter((l) => l.includes('Failed password')).sort());
    assert.ok(rows.every((r) => r.rule_id === '200100' && r.level === 5));
    const alert = JSON.parse(rows[0]?.json ?? '{}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(alert).slice(0, 5), ['timestamp', 'rule', 'agent', 'manager', 'id']);
    assert.deepEqual(alert['agent'], { id: 'agent-1', name: 'host-1', ip: '10.1.2.3' });
    assert.deepEqual(alert['predecoder'], { timestamp: (alert['predecoder'] as { timestamp: string }).timestamp, hostname: 'host-1', program_name: 'sshd' });
    assert.equal(alert['location'], watched);
    const postedIds = slack.posts.map((p) => JSON.stringify(p)).map((s) => /alert (\d+\.\d+)/.exec(s)?.[1]).sort();
    assert.deepEqual(postedIds, rows.map((r) => r.id).sort());
    db.close();
  } finally {
    await running.stop();
  }
});
