import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, NatsConfig, type Alert, type Bus } from '@vigil/common';
import { natsSkipReason, startTestNats, type NatsFixture } from '@vigil/common/testing';
import { IndexerConfig } from '../../src/config.ts';
import { startIndexer, type RunningIndexer } from '../../src/indexer-service.ts';
import { fimAlert, scaCheckAlert, scaSummaryAlert, sshAlert } from '../alert-fixtures.ts';
import { launchBrowser, type TestBrowser } from '../browser.ts';

/**
 * The dashboard as a user sees it: a real nats-server, the indexer (SQLite + query API + dashboard) consuming alerts
 * published on the alerts stream, and Debian's chromium. Skips, saying why, without nats-server or chromium.
 */
const TOKEN = 'dashboard-test-token-0123';
const logger = createLogger({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-browser-'));
const natsSkip = natsSkipReason();
let nats: NatsFixture | undefined;
let bus: Bus | undefined;
let indexer: RunningIndexer | undefined;
let browser: TestBrowser | { skip: string } | undefined;
let url = '';

const now = Date.now();
const at = (secondsAgo: number) => now - secondsAgo * 1000;
const initial: Alert[] = [
  ...Array.from({ length: 6 }, (_, i) => sshAlert(i, { at: at(600 - i) })),
  ...Array.from({ length: 3 }, (_, i) => ({ ...sshAlert(50 + i, { at: at(500 - i) }), agent: { id: '002', name: 'db01' } })),
  fimAlert(200, '/etc/passwd', 'modified', { size: '20', md5: 'b', before: { size: '10', md5: 'a' } }, at(400)),
  scaCheckAlert(300, '001', '1001', 'failed', at(300)),
  scaCheckAlert(301, '001', '1002', 'passed', at(299)),
  scaSummaryAlert(302, '001', 1, 1, at(298)),
];
/** Published once the page is open: it must show up through the live tail. */
const fresh: Alert = {
  ...sshAlert(900, { at: at(5) }),
  rule: {
    level: 10,
    description: 'sshd: brute force trying to get access to the system. Non existent user.',
    id: '5712',
    firedtimes: 1,
    mail: false,
    groups: ['syslog', 'sshd', 'authentication_failures'],
    pci_dss: ['11.4', '10.2.4'],
    mitre: { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] },
  },
  data: { srcip: '198.51.100.23', srcuser: 'mallory' },
  previous_output: 'Dec 10 01:02:01 web01 sshd[1234]: Invalid user mallory from 198.51.100.23 port 4444',
};

const publish = async (alerts: readonly Alert[]) => {
  const b = bus as Bus;
  await Promise.all(alerts.map((a) => b.js.publish(b.subjects.alert(a.rule.level, a.agent.id, a.rule.id), JSON.stringify(a))));
};

before(async () => {
  if (natsSkip) return;
  browser = await launchBrowser();
  if ('skip' in browser) return;
  nats = await startTestNats();
  bus = await connectBus(loadConfig(NatsConfig, { document: { url: nats.url } }), logger, 'dashboard-browser-test');
  const config = loadConfig(IndexerConfig, { document: { sqlite: { path: join(dir, 'vigil.db') }, api: { enabled: true, port: 0, token: TOKEN } } });
  // Rule testing is given by the CLI's composition (vigil logtest); here a stand-in that prints its phases.
  const logtest = async (text: string) => ({ output: `**Phase 1: Completed pre-decoding.\n\tfull event: '${text.trim()}'\n`, messages: 'logtest: 1 decoders', exitCode: 0 });
  indexer = await startIndexer({ bus, logger, config, batchSize: 100, logtest });
  url = String(indexer.info['dashboard']);
  await publish(initial);
});

after(async () => {
  if (browser && !('skip' in browser)) await browser.close();
  await indexer?.stop();
  await bus?.nc.close();
  await nats?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ready(t: TestContext): TestBrowser | undefined {
  const reason = natsSkip ?? (browser && 'skip' in browser ? browser.skip : undefined);
  if (reason) {
    console.log(`# skipped: ${reason}`);
    t.skip(reason);
    return undefined;
  }
  return browser as TestBrowser;
}

test('a wrong token gets the login page and no data; the API answers 401 without the cookie', { timeout: 60_000 }, async (t) => {
  const b = ready(t);
  if (!b) return;
  const page = await b.context.newPage();
  const seen: string[] = [];
  page.on('response', (r) => seen.push(`${r.status()} ${new URL(r.url()).pathname}`));
  await page.goto(`${url}#/events`);
  await page.getByLabel('API token').fill('wrong-token-wrong-token');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong token' }).waitFor();
  const body = await page.textContent('body');
  assert.doesNotMatch(body ?? '', /web01|sshd|Invalid user/);
  assert.ok(seen.every((s) => /^(200|304) \/ui\/(app\.js|app\.css|session)?$/.test(s) || s === '401 /ui/login'), seen.join(', '));
  const statuses = await page.evaluate(async () => Promise.all(['/alerts', '/agents', '/aggregations?by=level', '/agents/001/sca'].map(async (p) => (await fetch(p)).status)));
  assert.deepEqual(statuses, [401, 401, 401, 401]);
  await page.close();
});

test('logged in: a new alert appears in the table, its detail shows decoded fields and MITRE names, a facet narrows the table', { timeout: 90_000 }, async (t) => {
  const b = ready(t);
  if (!b) return;
  const page = await b.context.newPage();
  await page.goto(`${url}#/events`);
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('table.alerts tbody tr').first().waitFor();
  const cookies = await b.context.cookies();
  const session = cookies.find((c) => c.name === 'vigil_session');
  assert.ok(session?.httpOnly && session.secure && session.sameSite === 'Strict', JSON.stringify(session));

  await publish([fresh]);
  const row = page.locator(`tr[data-alert="${fresh.id}"]`);
  await row.waitFor({ timeout: 30_000 }); // the live tail polls
  await row.getByText(fresh.rule.description).click();
  await page.locator('.alert-detail').waitFor();
  const decoded = await page.locator('.decoded').textContent();
  assert.match(decoded ?? '', /srcuser\s*mallory/);
  assert.match(decoded ?? '', /srcip\s*198\.51\.100\.23/);
  const mitre = await page.locator('.mitre').textContent();
  assert.match(mitre ?? '', /T1110\s*Brute Force\s*Credential Access/);
  assert.match((await page.locator('.previous-output').textContent()) ?? '', /Invalid user mallory/);
  assert.match((await page.locator('.compliance').textContent()) ?? '', /pci_dss\s*11\.4/);
  assert.ok(await page.locator(`.alert-detail a[href="#/agent/001"]`).count());

  await page.goto(`${url}#/events`);
  await page.locator('table.alerts tbody tr').first().waitFor();
  await page.locator('.facet[data-facet="agent"] a', { hasText: '002' }).click();
  await page.waitForURL(/agent=002/);
  const agentCells = page.locator('table.alerts tbody tr td:nth-child(2)');
  await waitUntil(async () => {
    const agents = await agentCells.allTextContents();
    return agents.length === 3 && agents.every((a) => a === 'db01');
  }, 'the table narrowed to agent 002');
  assert.match((await page.locator('.chips').textContent()) ?? '', /agent: 002/);
  await page.close();
});

test('agent page: FIM change and failing SCA check; compliance page counts; MITRE matrix; bad filter gives a message', { timeout: 60_000 }, async (t) => {
  const b = ready(t);
  if (!b) return;
  const page = await b.context.newPage(); // the session cookie of the previous test is in this context
  await page.goto(`${url}#/agent/001`);
  await page.locator('table.fim').waitFor();
  const fim = await page.locator('table.fim').textContent();
  assert.match(fim ?? '', /\/etc\/passwd\s*modified\s*size, md5/);
  const failing = await page.locator('table.sca-failed').textContent();
  assert.match(failing ?? '', /CIS Debian 12\s*1001\s*Check 1001/);
  assert.doesNotMatch(failing ?? '', /1002/);
  assert.match((await page.locator('table.sca-summary').textContent()) ?? '', /50%/);

  await page.goto(`${url}#/compliance?standard=pci_dss`);
  const req = page.locator('tr[data-requirement="10.2.4"] td.count');
  await req.waitFor();
  assert.equal((await req.textContent())?.trim(), '10'); // 9 sshd alerts + the fresh one
  assert.equal((await page.locator('tr[data-requirement="11.4"] td.count').textContent())?.trim(), '1');
  await page.locator('tr[data-requirement="11.4"] a').first().click();
  await page.locator(`.compliance-page tr[data-alert="${fresh.id}"]`).waitFor();

  await page.goto(`${url}#/mitre`);
  const technique = page.locator('.tactic[data-tactic="Credential Access"] .technique[data-technique="T1110"]');
  await technique.waitFor();
  assert.match((await technique.textContent()) ?? '', /Brute Force\s*10/);

  await page.goto(`${url}#/logtest`);
  await page.locator('textarea[name="lines"]').fill('sshd[1]: Failed password for root');
  await page.getByRole('button', { name: 'Test' }).click();
  assert.match((await page.locator('pre.logtest-output').textContent()) ?? '', /Phase 1: Completed pre-decoding\.\s*full event: 'sshd\[1\]: Failed password for root'/);

  await page.goto(`${url}#/events?level=high&from=24h`);
  const error = page.locator('.error');
  await error.waitFor();
  const text = (await error.textContent()) ?? '';
  assert.match(text, /level.*'high' is not a whole number/);
  assert.doesNotMatch(text, /SQLITE|at \w+ \(|Error:/);
  await page.close();
});
