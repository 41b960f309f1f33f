import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAlertStore } from './sqlite-store.ts';
import { decodedEvent, fimAlert, scaCheckAlert, scaSummaryAlert, sshAlert, T0 } from '../../test/alert-fixtures.ts';

function tempStore(t: { after(fn: () => void): void }, options = {}): SqliteAlertStore {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
  const store = new SqliteAlertStore(join(dir, 'alerts.db'), options);
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/** Every row of every table, to compare whole database states. */
function snapshot(db: Database.Database): Record<string, unknown[]> {
  const tables = ['alerts', 'alert_tags', 'tag_hours', 'agents', 'fim_state', 'fim_history', 'sca_checks', 'sca_summaries', 'archives'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all().map((r) => ({ ...(r as object), indexed_at: undefined }));
  out['fts'] = db.prepare("SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH 'sshd' ORDER BY rowid").all();
  return out;
}

test('redelivering a batch changes nothing', (t) => {
  const store = tempStore(t);
  const batch = [sshAlert(1), sshAlert(2), fimAlert(3, '/etc/passwd', 'modified', { size: '20', md5: 'b' }), scaCheckAlert(4, '001', '1001', 'failed')];
  assert.equal(store.write(batch), 4);
  store.writeArchives([decodedEvent(1), decodedEvent(2)]);
  const before = snapshot(store.db);
  assert.equal(store.write(batch), 0);
  assert.equal(store.write([batch[2]!, batch[0]!]), 0);
  store.writeArchives([decodedEvent(2), decodedEvent(1)]);
  assert.deepEqual(snapshot(store.db), before);
  assert.equal(store.count(), 4);
});

test('a batch is written whole or not at all', (t) => {
  const store = tempStore(t);
  const broken = { ...sshAlert(2), rule: { ...sshAlert(2).rule, groups: undefined as unknown as string[] } };
  assert.throws(() => store.write([sshAlert(1), broken]));
  assert.equal(store.count(), 0);
  assert.deepEqual(store.db.prepare('SELECT count(*) AS n FROM alert_tags').get(), { n: 0 });
});

test('FTS finds an alert by a word of its log or of its description', (t) => {
  const store = tempStore(t);
  store.write([sshAlert(1), sshAlert(2, { full_log: 'Dec 10 01:02:03 web01 sshd[99]: Connection closed by zanzibar port 22' })]);
  const reader = store.reader();
  assert.deepEqual(reader.query({ text: 'zanzibar' }).map((a) => a.id), [sshAlert(2).id]);
  assert.deepEqual(reader.query({ text: 'admin1' }).map((a) => a.id), [sshAlert(1).id]);
  assert.equal(reader.query({ text: 'non-existent' }).length, 2, 'words of the rule description are indexed too');
  assert.deepEqual(reader.query({ text: 'zanz*' }).map((a) => a.id), [sshAlert(2).id]);
  assert.deepEqual(reader.query({ text: 'zanzibar admin1' }), [], 'all words must occur');
  assert.deepEqual(reader.query({ text: 'unknownword' }), []);
  assert.deepEqual(reader.query({ text: '" OR ( NEAR' }), [], 'FTS syntax in the text is taken literally');
});

test('FTS finds words of a URL-encoded payload', (t) => {
  const store = tempStore(t);
  store.write([sshAlert(1), sshAlert(2, { full_log: 'GET /item.php?id=1%20UNION%20SELECT+password%2Cuser+FROM+users HTTP/1.1' })]);
  const reader = store.reader();
  assert.deepEqual(reader.query({ text: 'union' }).map((a) => a.id), [sshAlert(2).id]);
  assert.deepEqual(reader.query({ text: 'password users' }).map((a) => a.id), [sshAlert(2).id]);
  assert.equal(reader.query({ text: 'union' })[0]?.full_log, sshAlert(2, { full_log: 'GET /item.php?id=1%20UNION%20SELECT+password%2Cuser+FROM+users HTTP/1.1' }).full_log, 'the alert keeps its log as it was');
});

test('with FTS off nothing goes into the FTS table', (t) => {
  const store = tempStore(t, { fts: false });
  store.write([sshAlert(1)]);
  assert.deepEqual(store.db.prepare("SELECT count(*) AS n FROM alerts_fts WHERE alerts_fts MATCH 'admin1'").get(), { n: 0 });
});

test('a retention run removes only what is older than the limit', (t) => {
  const store = tempStore(t);
  const day = 86_400_000;
  const old = [sshAlert(1, { at: T0 - 10 * day }), fimAlert(2, '/etc/hosts', 'added', { size: '1', md5: 'a' }, T0 - 9 * day)];
  const edge = sshAlert(3, { at: T0 - 5 * day });
  const fresh = [sshAlert(4, { at: T0 - 5 * day + 1 }), sshAlert(5, { at: T0 }), fimAlert(6, '/etc/hosts', 'modified', { size: '2', md5: 'b' }, T0)];
  store.write([...old, edge, ...fresh]);
  store.writeArchives([decodedEvent(1, '001', T0 - 3 * day), decodedEvent(2, '001', T0)]);
  const removed = store.removeOlderThan({ alertsBefore: T0 - 5 * day, archivesBefore: T0 - 2 * day });
  assert.deepEqual(removed, { alerts: 2, archives: 1, fimHistory: 1 });
  const reader = store.reader();
  assert.deepEqual(
    reader.query({ order: 'asc' }).map((a) => a.id),
    [edge, ...fresh].map((a) => a.id),
  );
  assert.deepEqual(reader.query({ group: 'sshd', order: 'asc' }).map((a) => a.id), [edge.id, fresh[0]!.id, fresh[1]!.id]);
  assert.deepEqual(store.db.prepare('SELECT min(epoch_ms) AS m FROM alert_tags').get(), { m: T0 - 5 * day });
  assert.deepEqual(reader.query({ text: 'admin1' }), [], 'the FTS rows of removed alerts are gone');
  assert.equal(reader.query({ text: 'admin4' }).length, 1);
  assert.deepEqual(reader.fimHistory('001', '/etc/hosts', { limit: 10, offset: 0 }).map((h) => h.event), ['modified']);
  assert.equal(reader.fimState('001', '/etc/hosts')?.event, 'modified', 'the current state stays');
  assert.deepEqual(store.db.prepare('SELECT event_id FROM archives').pluck().all(), ['001:2']);
  assert.deepEqual(store.removeOlderThan({ alertsBefore: T0 - 5 * day, archivesBefore: T0 - 2 * day }), { alerts: 0, archives: 0, fimHistory: 0 });
  for (const by of ['group', 'rule', 'agent'] as const) {
    assert.deepEqual(reader.aggregate({ by, filters: {} }), reader.aggregate({ by, filters: {} }, { useRollup: false }), `hourly counts follow retention (${by})`);
  }
});

test('retention works in whole hours: an alert less than an hour older than the cutoff stays until its hour has passed', (t) => {
  const store = tempStore(t);
  const hour = 3_600_000;
  const a = sshAlert(1, { at: T0 - 30 * 60_000 });
  const b = sshAlert(2, { at: T0 - hour - 1 });
  store.write([a, b]);
  assert.deepEqual(store.removeOlderThan({ alertsBefore: T0 - 10 * 60_000 }), { alerts: 1, archives: 0, fimHistory: 0 });
  assert.deepEqual(store.reader().query({}).map((x) => x.id), [a.id]);
});

test('FIM: the last state of each path, and its history newest first, whatever the arrival order', (t) => {
  const store = tempStore(t);
  const added = fimAlert(1, '/etc/passwd', 'added', { size: '10', md5: 'a' });
  const modified = fimAlert(2, '/etc/passwd', 'modified', { size: '20', md5: 'b', before: { size: '10', md5: 'a' } });
  const deleted = fimAlert(3, '/etc/passwd', 'deleted', { size: '20', md5: 'b' });
  store.write([modified]);
  store.write([deleted, added]);
  const reader = store.reader();
  assert.deepEqual(reader.fimState('001', '/etc/passwd'), {
    agentId: '001',
    path: '/etc/passwd',
    event: 'deleted',
    time: new Date(T0 + 3000).toISOString(),
    alertId: deleted.id,
    state: { size: '20', md5: 'b', perm: 'rw-r--r--', mode: 'realtime' },
  });
  const history = reader.fimHistory('001', '/etc/passwd', { limit: 10, offset: 0 });
  assert.deepEqual(history.map((h) => [h.event, h.alertId]), [['deleted', deleted.id], ['modified', modified.id], ['added', added.id]]);
  assert.deepEqual(history[1]?.before, { size: '10', md5: 'a' });
  assert.deepEqual(history[1]?.changedAttributes, ['size', 'md5']);
  assert.equal(reader.fimState('001', '/etc/shadow'), undefined);
  assert.equal(reader.fimState('002', '/etc/passwd'), undefined);
});

test('SCA: the latest result of each check and the latest summary per agent', (t) => {
  const store = tempStore(t);
  store.write([scaCheckAlert(1, '001', '1001', 'failed'), scaCheckAlert(2, '001', '1002', 'passed'), scaCheckAlert(3, '002', '1001', 'passed')]);
  store.write([scaCheckAlert(4, '001', '1002', 'failed'), scaCheckAlert(0, '001', '1001', 'passed'), scaSummaryAlert(5, '001', 10, 2)]);
  const report = store.reader().sca('001', { result: 'failed' });
  assert.deepEqual(report.checks.map((c) => [c.checkId, c.result]), [['1001', 'failed'], ['1002', 'failed']]);
  assert.deepEqual(report.summaries.map((s) => [s.policyId, s.passed, s.failed, s.score]), [['cis_debian12', 10, 2, 83]]);
  assert.deepEqual(store.reader().sca('002').checks.map((c) => [c.checkId, c.result]), [['1001', 'passed']]);
});

test('agents: name, ip, first and last alert', (t) => {
  const store = tempStore(t);
  store.write([sshAlert(5), sshAlert(1), scaCheckAlert(2, '002', '1', 'passed')]);
  assert.deepEqual(store.reader().agents(), [
    { id: '001', name: 'web01', ip: '10.0.0.5', firstAlert: new Date(T0 + 1000).toISOString(), lastAlert: new Date(T0 + 5000).toISOString() },
    { id: '002', name: 'host-002', firstAlert: new Date(T0 + 2000).toISOString(), lastAlert: new Date(T0 + 2000).toISOString() },
  ]);
});

test('a database of the first version is re-indexed on open', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'old.db');
  const old = new Database(path);
  old.exec(`CREATE TABLE alerts (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL, epoch_ms INTEGER NOT NULL, level INTEGER NOT NULL, rule_id TEXT NOT NULL,
    agent_id TEXT NOT NULL, agent_name TEXT NOT NULL, groups TEXT NOT NULL, description TEXT NOT NULL, location TEXT NOT NULL, json TEXT NOT NULL,
    indexed_at INTEGER NOT NULL) WITHOUT ROWID; CREATE INDEX alerts_epoch ON alerts(epoch_ms);`);
  const a = sshAlert(1);
  old.prepare('INSERT INTO alerts VALUES (?, ?, 0, 5, ?, ?, ?, ?, ?, ?, ?, 0)').run(a.id, a.timestamp, '5710', '001', 'web01', ',sshd,', 'd', 'l', JSON.stringify(a));
  old.close();
  const store = new SqliteAlertStore(path);
  t.after(() => store.close());
  assert.deepEqual(store.reader().query({ text: 'admin1' }), [a]);
  assert.deepEqual(store.reader().query({ compliance: 'pci_dss:10.2.4' }), [a]);
});
