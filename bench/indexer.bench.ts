/**
 * Indexer benchmark: alerts indexed per second into SQLite (FTS5 on, and off for comparison), then query latency of
 * the dashboard's common queries over 1 million stored alerts. Prints a Markdown section.
 *
 *   node --import tsx bench/indexer.bench.ts            # 1,000,000 alerts
 *   BENCH_ALERTS=200000 node --import tsx bench/indexer.bench.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@vigil/common';
import { SqliteAlertStore, type AlertQuery, type AggregationQuery } from '@vigil/indexer';

const TOTAL = Number(process.env['BENCH_ALERTS'] ?? 1_000_000);
const RATE_SAMPLE = Math.min(100_000, TOTAL);
const BATCH = 1000;
const DAY = 86_400_000;
const NOW = Date.UTC(2024, 5, 1);
const SPAN_DAYS = 30;

// A mixed stream shaped like a busy fleet: 200 agents, sshd/web/FIM/SCA/audit alerts over 30 days.
const RULES = [
  { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user', groups: ['syslog', 'sshd', 'authentication_failed', 'invalid_login'], pci_dss: ['10.2.4', '10.2.5'], gdpr: ['IV_35.7.d', 'IV_32.2'], hipaa: ['164.312.b'], nist_800_53: ['AU.14', 'AC.7'], tsc: ['CC6.1', 'CC6.8'], mitre: ['T1110.001'], weight: 30 },
  { id: '5716', level: 5, description: 'sshd: authentication failed.', groups: ['syslog', 'sshd', 'authentication_failed'], pci_dss: ['10.2.4', '10.2.5'], gdpr: ['IV_35.7.d', 'IV_32.2'], hipaa: ['164.312.b'], nist_800_53: ['AU.14', 'AC.7'], tsc: ['CC6.1'], mitre: ['T1110.001'], weight: 20 },
  { id: '5715', level: 3, description: 'sshd: authentication success.', groups: ['syslog', 'sshd', 'authentication_success'], pci_dss: ['10.2.5'], gdpr: ['IV_32.2'], hipaa: ['164.312.b'], nist_800_53: ['AU.14', 'AC.7'], tsc: ['CC6.8'], mitre: ['T1078'], weight: 20 },
  { id: '5712', level: 10, description: 'sshd: brute force trying to get access to the system. Non existent user.', groups: ['syslog', 'sshd', 'authentication_failures'], pci_dss: ['11.4', '10.2.4'], gdpr: ['IV_35.7.d'], hipaa: ['164.312.b'], nist_800_53: ['SI.4', 'AU.14'], tsc: ['CC6.1'], mitre: ['T1110'], weight: 2 },
  { id: '31101', level: 5, description: 'Web server 400 error code.', groups: ['web', 'accesslog', 'attack'], pci_dss: ['6.5', '11.4'], gdpr: ['IV_35.7.d'], nist_800_53: ['SA.11', 'SI.4'], tsc: ['CC6.6'], mitre: [], weight: 15 },
  { id: '550', level: 7, description: 'Integrity checksum changed.', groups: ['ossec', 'syscheck', 'syscheck_entry_modified', 'syscheck_file'], pci_dss: ['11.5'], gdpr: ['II_5.1.f'], hipaa: ['164.312.c.1'], nist_800_53: ['SI.7'], tsc: ['PI1.4'], mitre: ['T1565.001'], weight: 5 },
  { id: '19007', level: 7, description: 'CIS Debian Linux 12 Benchmark: Ensure permissions on /etc/passwd are configured.', groups: ['sca'], pci_dss: [], gdpr: [], nist_800_53: [], tsc: [], mitre: [], weight: 5 },
  { id: '80792', level: 3, description: 'Audit: Command: /usr/bin/sudo', groups: ['audit', 'audit_command'], pci_dss: ['10.2.2'], gdpr: ['IV_32.2'], nist_800_53: ['AU.14'], tsc: ['CC7.2'], mitre: ['T1548.003'], weight: 3 },
] as const;
const PICK: number[] = RULES.flatMap((r, i) => Array.from({ length: r.weight }, () => i));
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

/** A deterministic pseudo-random stream (xorshift), so every run stores the same alerts. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

function makeAlert(n: number, random: () => number): Alert {
  const r = RULES[PICK[Math.floor(random() * PICK.length)] as number] as (typeof RULES)[number];
  const agent = Math.floor(random() * 200);
  // Alerts arrive in time order (with a few seconds of jitter), spread evenly over the 30 days.
  const ms = NOW - SPAN_DAYS * DAY + Math.floor((n / TOTAL) * SPAN_DAYS * DAY) + Math.floor(random() * 5000);
  const user = `${WORDS[n % WORDS.length]}${n % 5000}`;
  const ip = `10.${agent}.${n % 250}.${(n >> 8) % 250}`;
  const alert: Alert = {
    timestamp: new Date(ms).toISOString().replace('Z', '+0000'),
    rule: {
      level: r.level,
      description: r.description,
      id: r.id,
      firedtimes: (n % 50) + 1,
      mail: false,
      groups: [...r.groups],
      ...(r.pci_dss.length ? { pci_dss: [...r.pci_dss] } : {}),
      ...(r.gdpr.length ? { gdpr: [...r.gdpr] } : {}),
      ...('hipaa' in r ? { hipaa: [...r.hipaa] } : {}),
      ...(r.nist_800_53.length ? { nist_800_53: [...r.nist_800_53] } : {}),
      ...(r.tsc.length ? { tsc: [...r.tsc] } : {}),
      ...(r.mitre.length ? { mitre: { id: [...r.mitre], tactic: ['Credential Access'], technique: ['Brute Force'] } } : {}),
    },
    agent: { id: String(agent).padStart(3, '0'), name: `node-${agent}`, ip: `192.168.${agent >> 8}.${agent & 255}` },
    manager: { name: 'manager-1' },
    id: `${Math.floor(ms / 1000)}.${n}`,
    full_log: `${new Date(ms).toUTCString().slice(5, 25)} node-${agent} sshd[${1000 + (n % 30000)}]: Failed password for invalid user ${user} from ${ip} port ${1024 + (n % 60000)} ssh2`,
    predecoder: { program_name: 'sshd', timestamp: 'Jun  1 00:00:00', hostname: `node-${agent}` },
    decoder: { parent: 'sshd', name: 'sshd' },
    data: { srcip: ip, srcuser: user },
    location: '/var/log/auth.log',
  };
  if (r.id === '550') {
    alert.location = 'syscheck';
    alert.full_log = `File '/etc/app/conf-${n % 500}.yaml' modified\nMode: realtime\nChanged attributes: size,md5`;
    alert.syscheck = { path: `/etc/app/conf-${n % 500}.yaml`, mode: 'realtime', size_before: '10', size_after: String(n % 9000), md5_before: 'a', md5_after: `m${n}`, changed_attributes: ['size', 'md5'], event: 'modified' };
    delete alert.data;
  } else if (r.id === '19007') {
    alert.location = 'sca';
    alert.full_log = '';
    alert.data = { sca: { type: 'check', scan_id: String(n), policy: 'CIS Debian Linux 12 Benchmark', policy_id: 'cis_debian12', check: { id: String(1000 + (n % 180)), title: `Check ${n % 180}`, result: n % 3 ? 'failed' : 'passed' } } };
  }
  return alert;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function time(fn: () => unknown, runs: number): { median: number; p95: number; rows: number } {
  let rows = 0;
  fn(); // warm the page cache and the statement cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const out = fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    rows = Array.isArray(out) ? out.length : typeof out === 'object' && out !== null && 'checks' in out ? (out as { checks: unknown[] }).checks.length : out === undefined ? 0 : 1;
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 0.5), p95: percentile(samples, 0.95), rows };
}

function loadRate(store: SqliteAlertStore, from: number, count: number, random: () => number): number {
  const t0 = process.hrtime.bigint();
  for (let i = from; i < from + count; i += BATCH) {
    const batch: Alert[] = [];
    for (let k = i; k < Math.min(from + count, i + BATCH); k++) batch.push(makeAlert(k, random));
    store.write(batch);
  }
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-indexer-bench-'));
try {
  // 1. Indexing rate, as the consumer writes: 1,000 alerts per transaction, WAL, synchronous=FULL, FTS on and off.
  const noFts = new SqliteAlertStore(join(dir, 'nofts.db'), { fts: false });
  const rateNoFts = loadRate(noFts, 0, RATE_SAMPLE, rng(7));
  noFts.close();
  const normal = new SqliteAlertStore(join(dir, 'normal.db'), { synchronous: 'normal' });
  const rateNormal = loadRate(normal, 0, RATE_SAMPLE, rng(7));
  normal.close();
  const store = new SqliteAlertStore(join(dir, 'alerts.db'));
  const random = rng(7);
  const rateFts = loadRate(store, 0, RATE_SAMPLE, random);
  // 2. Fill up to TOTAL alerts in the same batched loop, and note the rate over the whole load.
  const t0 = process.hrtime.bigint();
  if (TOTAL > RATE_SAMPLE) loadRate(store, RATE_SAMPLE, TOTAL - RATE_SAMPLE, random);
  const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rateLater = TOTAL > RATE_SAMPLE ? (TOTAL - RATE_SAMPLE) / loadSeconds : rateFts;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.db.exec('ANALYZE');
  const dbBytes = statSync(join(dir, 'alerts.db')).size;
  const stored = store.count();

  // 3. Query latency over the stored alerts, through the same reader the HTTP API uses.
  const reader = store.reader();
  const last24h = NOW - DAY;
  const last7d = NOW - 7 * DAY;
  const someId = (store.db.prepare('SELECT id FROM alerts WHERE seq = ?').pluck().get(Math.floor(stored / 2)) as string) ?? '';
  const q = (query: AlertQuery) => () => reader.query(query);
  const agg = (a: AggregationQuery) => () => reader.aggregate(a);
  const queries: Array<[string, () => unknown]> = [
    ['latest 50 alerts', q({ limit: 50 })],
    ['latest 50, level ≥ 10, last 24 h', q({ minLevel: 10, since: last24h, limit: 50 })],
    ['latest 50 of one agent, last 24 h', q({ agent: '042', since: last24h, limit: 50 })],
    ['latest 50 of one rule, last 7 d', q({ rule: '5712', since: last7d, limit: 50 })],
    ['latest 50 of group authentication_failed, last 24 h', q({ group: 'authentication_failed', since: last24h, limit: 50 })],
    ['latest 50 with PCI DSS 11.4, last 7 d', q({ compliance: 'pci_dss:11.4', since: last7d, limit: 50 })],
    ['page 20 (offset 950) of level ≥ 5, last 7 d', q({ minLevel: 5, since: last7d, limit: 50, offset: 950 })],
    ['full text: a user name (rare word), all time', q({ text: 'juliet4321', limit: 50 })],
    ['full text: a common word + agent, last 24 h', q({ text: 'password', agent: '007', since: last24h, limit: 50 })],
    ['count of level ≥ 10, last 7 d', () => reader.count({ minLevel: 10, since: last7d })],
    ['alert by id', () => reader.byId(someId)],
    ['histogram: count per level per hour, last 24 h', agg({ by: 'level', interval: 3_600_000, size: 20, filters: { since: last24h } })],
    ['top 10 rules, last 24 h', agg({ by: 'rule', size: 10, filters: { since: last24h } })],
    ['top 10 agents, level ≥ 7, last 7 d', agg({ by: 'agent', size: 10, filters: { minLevel: 7, since: last7d } })],
    ['top 10 PCI DSS / GDPR / HIPAA... requirements, last 7 d', agg({ by: 'compliance', size: 10, filters: { since: last7d } })],
    ['top 10 groups per day, last 7 d', agg({ by: 'group', interval: DAY, size: 10, filters: { since: last7d } })],
    ['top 10 MITRE techniques, one agent, last 30 d', agg({ by: 'mitre', size: 10, filters: { agent: '042', since: NOW - 30 * DAY } })],
    ['FIM: state of one path', () => reader.fimState('042', '/etc/app/conf-42.yaml')],
    ['FIM: history of one path (50)', () => reader.fimHistory('042', '/etc/app/conf-42.yaml', { limit: 50, offset: 0 })],
    ['SCA: failed checks of one agent', () => reader.sca('042', { result: 'failed' })],
    ['agents list', () => reader.agents()],
  ];
  const results = queries.map(([name, fn]) => ({ name, ...time(fn, 15) }));
  store.close();

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
  const lines = [
    '### Indexer: SQLite indexing rate and dashboard query latency',
    '',
    `Alerts in the Wazuh JSON shape (about 0.9 KB each: sshd, web, FIM, SCA and audit alerts from 200 agents, in time order over 30 days, with groups, compliance and MITRE tags) are written through \`SqliteAlertStore.write\` as the indexer's consumer writes them: ${fmt(BATCH)} alerts per transaction, WAL, \`synchronous=FULL\` (the default) unless noted, each alert with its tag rows (groups, compliance requirements, MITRE ids), its FTS5 row (full_log and rule description), its hourly counts and the agent/FIM/SCA tables. The rate is measured over the first ${fmt(RATE_SAMPLE)} alerts into a new file, and again while filling one database up to the stored total. Queries then run through \`SqliteAlertReader\` (the query API's reader) over the stored alerts; each runs once to warm up, then 15 times: median and 95th percentile in milliseconds. Times are "last 24 h"/"last 7 d" back from the newest alert.`,
    '',
    '| indexing | alerts/s |',
    '|---|---:|',
    `| FTS5 on, first ${fmt(RATE_SAMPLE)} alerts | ${fmt(rateFts)} |`,
    `| FTS5 off, first ${fmt(RATE_SAMPLE)} alerts | ${fmt(rateNoFts)} |`,
    `| FTS5 on, \`synchronous=NORMAL\`, first ${fmt(RATE_SAMPLE)} alerts | ${fmt(rateNormal)} |`,
    ...(TOTAL > RATE_SAMPLE ? [`| FTS5 on, filling from ${fmt(RATE_SAMPLE)} to ${fmt(stored)} alerts | ${fmt(rateLater)} |`] : []),
    '',
    `| query over ${fmt(stored)} alerts | rows | median ms | p95 ms |`,
    '|---|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | ${r.rows} | ${ms(r.median)} | ${ms(r.p95)} |`),
    '',
    `Measured with ${fmt(stored)} alerts stored (database file ${(dbBytes / 1e9).toFixed(2)} GB) on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at the end of the run.`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
