/**
 * Dashboard benchmark: over a large SQLite store (1,000,000 alerts over 30 days ending now, 200 agents), the time of
 * every query-API call behind each dashboard page (through HTTP, with the session cookie, as the browser makes them)
 * and the load of the security-events page in chromium until its table, facets and histogram are drawn. Median and
 * p95. Prints a Markdown section.
 *
 *   node --import tsx bench/dashboard.bench.ts            # 1,000,000 alerts
 *   BENCH_ALERTS=200000 node --import tsx bench/dashboard.bench.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Alert } from '@vigil/common';
import { SqliteAlertStore, openAlertsReadOnly, startQueryApi } from '@vigil/indexer';
import { launchBrowser } from '@vigil/indexer/browser';

const TOTAL = Number(process.env['BENCH_ALERTS'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const DAY = 86_400_000;
const SPAN_DAYS = 30;
const NOW = Date.now();
const TOKEN = 'dashboard-bench-token-0123';

const RULES = [
  { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user', groups: ['syslog', 'sshd', 'authentication_failed', 'invalid_login'], pci_dss: ['10.2.4', '10.2.5'], gdpr: ['IV_35.7.d'], mitre: ['T1110.001'], weight: 40 },
  { id: '5715', level: 3, description: 'sshd: authentication success.', groups: ['syslog', 'sshd', 'authentication_success'], pci_dss: ['10.2.5'], gdpr: ['IV_32.2'], mitre: ['T1078'], weight: 25 },
  { id: '5712', level: 10, description: 'sshd: brute force trying to get access to the system. Non existent user.', groups: ['syslog', 'sshd', 'authentication_failures'], pci_dss: ['11.4', '10.2.4'], gdpr: ['IV_35.7.d'], mitre: ['T1110'], weight: 3 },
  { id: '31101', level: 5, description: 'Web server 400 error code.', groups: ['web', 'accesslog', 'attack'], pci_dss: ['6.5', '11.4'], gdpr: [], mitre: [], weight: 20 },
  { id: '550', level: 7, description: 'Integrity checksum changed.', groups: ['ossec', 'syscheck', 'syscheck_entry_modified'], pci_dss: ['11.5'], gdpr: ['II_5.1.f'], mitre: ['T1565.001'], weight: 7 },
  { id: '100002', level: 13, description: 'Reverse shell spawned by a web server', groups: ['audit', 'attack'], pci_dss: ['10.6.1'], gdpr: [], mitre: ['T1059.004'], weight: 1 },
] as const;
const PICK: number[] = RULES.flatMap((r, i) => Array.from({ length: r.weight }, () => i));

function makeAlert(n: number, seed: number): Alert {
  const r = RULES[PICK[seed % PICK.length] as number] as (typeof RULES)[number];
  const agent = (seed >>> 8) % 200;
  const ms = NOW - SPAN_DAYS * DAY + Math.floor((n / TOTAL) * SPAN_DAYS * DAY);
  const ip = `10.${agent}.${n % 250}.${(n >> 8) % 250}`;
  return {
    timestamp: new Date(ms).toISOString().replace('Z', '+0000'),
    rule: {
      level: r.level,
      description: r.description,
      id: r.id,
      firedtimes: 1,
      mail: false,
      groups: [...r.groups],
      pci_dss: [...r.pci_dss],
      ...(r.gdpr.length ? { gdpr: [...r.gdpr] } : {}),
      ...(r.mitre.length ? { mitre: { id: [...r.mitre], tactic: ['Credential Access'], technique: ['Brute Force'] } } : {}),
    },
    agent: { id: String(agent).padStart(3, '0'), name: `node-${agent}` },
    manager: { name: 'manager-1' },
    id: `${Math.floor(ms / 1000)}.${n}`,
    full_log: `node-${agent} sshd[${1000 + (n % 30000)}]: Failed password for invalid user u${n % 5000} from ${ip} port ${1024 + (n % 60000)} ssh2`,
    decoder: { parent: 'sshd', name: 'sshd' },
    data: { srcip: ip, srcuser: `u${n % 5000}` },
    location: '/var/log/auth.log',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

async function timed(fn: () => Promise<void>, runs: number): Promise<{ median: number; p95: number }> {
  await fn(); // warm caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-bench-'));
const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);
try {
  const path = join(dir, 'alerts.db');
  const store = new SqliteAlertStore(path, { synchronous: 'normal' });
  const t0 = process.hrtime.bigint();
  let seed = 7;
  for (let i = 0; i < TOTAL; i += 1000) {
    const batch: Alert[] = [];
    for (let k = i; k < Math.min(TOTAL, i + 1000); k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      batch.push(makeAlert(k, seed >>> 4));
    }
    store.write(batch);
  }
  const fillSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.db.exec('ANALYZE');
  store.close();
  const dbBytes = statSync(path).size;

  const reader = openAlertsReadOnly(path);
  const api = await startQueryApi({ reader, logger: createLogger({ level: 'silent' }), host: '127.0.0.1', port: 0, token: TOKEN, maxLimit: 1000, dashboard: { sessionHours: 1 } });
  const login = await fetch(`${api.url}/ui/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const get = async (p: string) => {
    const res = await fetch(`${api.url}${p}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  const facets = ['level', 'rule', 'agent', 'group', 'srcip', 'compliance', 'mitre'];
  const calls: Array<[string, string, string]> = [
    ['page', 'GET /ui/ + app.js + app.css', ''],
    ['events (24h)', 'alert table, 50 rows + total', '/alerts?from=24h&limit=50&offset=0&count=true'],
    ['events (24h)', 'histogram by level, 1h buckets (as the page asks)', '/aggregations?from=24h&by=level&interval=1h&size=17'],
    ...facets.map((f): [string, string, string] => ['events (24h)', `facet/top-8 by ${f}`, `/aggregations?from=24h&by=${f}&size=8`]),
    ['events (7d, agent 042)', 'alert table with an agent facet', '/alerts?from=7d&agent=042&limit=50&count=true'],
    ['events (7d, agent 042)', 'histogram by level with the agent', '/aggregations?from=7d&agent=042&by=level&interval=3h&size=17'],
    ['events (24h, q)', 'full-text "failed" + total', '/alerts?from=24h&q=failed&limit=50&count=true'],
    ['alert', 'one alert', `/alerts/${Math.floor((NOW - DAY) / 1000)}.0`],
    ['agents', 'agent list', '/agents'],
    ['agent 042', 'recent alerts', '/alerts?agent=042&limit=20'],
    ['agent 042', 'FIM alerts', '/alerts?agent=042&group=syscheck&limit=20'],
    ['agent 042', 'SCA', '/agents/042/sca'],
    ['compliance (7d)', 'counts per requirement', '/aggregations?by=compliance&from=7d&size=1000'],
    ['compliance (7d)', 'alerts of pci_dss 11.4', '/alerts?compliance=pci_dss%3A11.4&from=7d&limit=50'],
    ['mitre (7d)', 'counts per technique', '/aggregations?by=mitre&from=7d&size=1000'],
  ];
  // The alert detail needs an id that exists: take the newest one a day back.
  const oneBack = (await (await fetch(`${api.url}/alerts?to=${NOW - DAY}&limit=1`, { headers: { cookie } })).json()) as { items: Alert[] };
  const alertId = oneBack.items[0]?.id ?? '';
  const rows: string[] = [];
  for (const [page, what, p] of calls) {
    const target = what === 'one alert' ? `/alerts/${encodeURIComponent(alertId)}` : p;
    const r = page === 'page' ? await timed(async () => void (await Promise.all(['/ui/', '/ui/app.js', '/ui/app.css'].map(get))), RUNS) : await timed(() => get(target), RUNS);
    rows.push(`| ${page} | ${what} | ${fmt(r.median)} | ${fmt(r.p95)} |`);
  }
  let browserLine = 'chromium not available: page load in the browser not measured';
  const browser = await launchBrowser();
  if (!('skip' in browser)) {
    const page = await browser.context.newPage();
    await page.goto(`${api.url}/ui/`);
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('table.alerts').waitFor();
    const load = await timed(async () => {
      await page.goto('about:blank');
      await page.goto(`${api.url}/ui/#/events?from=24h`);
      await Promise.all([page.locator('table.alerts tbody tr').first().waitFor(), page.locator('.facet[data-facet="mitre"]').waitFor(), page.locator('.histogram-plot canvas').waitFor()]);
    }, Math.min(RUNS, 10));
    browserLine = `| events page in chromium | navigation until table, facets and histogram are drawn | ${fmt(load.median)} | ${fmt(load.p95)} |`;
    await browser.close();
  }
  await api.stop();
  reader.close();
  console.log(`## Dashboard (bench/dashboard.bench.ts)\n`);
  console.log(`${TOTAL.toLocaleString('en')} alerts over ${SPAN_DAYS} days ending now (${Math.round(TOTAL / SPAN_DAYS).toLocaleString('en')} in the last 24 h), 200 agents; filled in ${fillSeconds.toFixed(0)} s; database ${(dbBytes / 1e9).toFixed(2)} GB. Each call over HTTP with the session cookie, ${RUNS} runs after a warm-up.\n`);
  console.log('| page | call | median ms | p95 ms |\n|---|---|---|---|');
  for (const r of rows) console.log(r);
  if (browserLine.startsWith('|')) console.log(browserLine);
  else console.log(`\n${browserLine}`);
  console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node.js ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at the end of the run.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
