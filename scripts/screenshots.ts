/**
 * `npm run screenshots`: writes a PNG of every dashboard page into ./screenshots (gitignored), over a temporary
 * SQLite store of sample alerts (sshd, brute force, FIM, SCA on three agents), with Debian's chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Alert } from '@vigil/common';
import { SqliteAlertStore, openAlertsReadOnly, startQueryApi } from '@vigil/indexer';
import { fimAlert, scaCheckAlert, scaSummaryAlert, sshAlert } from '@vigil/indexer/testing';
import { launchBrowser } from '@vigil/indexer/browser';

const out = join(process.cwd(), 'screenshots');
const dir = mkdtempSync(join(tmpdir(), 'vigil-screenshots-'));
const now = Date.now();
const agents = [
  { id: '001', name: 'web01' },
  { id: '002', name: 'db01' },
  { id: '003', name: 'bastion' },
];
const alerts: Alert[] = [];
for (let i = 0; i < 400; i++) {
  const a = sshAlert(i, { at: now - Math.floor(((i * 7919) % 86_400) * 1000) });
  alerts.push({ ...a, agent: agents[i % 3] as Alert['agent'] });
}
for (let i = 0; i < 30; i++) {
  alerts.push({
    ...sshAlert(1000 + i, { at: now - i * 1_700_000 }),
    rule: { level: 10, description: 'sshd: brute force trying to get access to the system. Non existent user.', id: '5712', firedtimes: 8, mail: false, groups: ['syslog', 'sshd', 'authentication_failures'], pci_dss: ['11.4', '10.2.4'], hipaa: ['164.312.b'], nist_800_53: ['SI.4', 'AU.14'], tsc: ['CC6.1'], mitre: { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] } },
    previous_output: 'Dec 10 01:02:01 web01 sshd[1234]: Invalid user admin from 203.0.113.7 port 4444\nDec 10 01:02:02 web01 sshd[1234]: Invalid user admin from 203.0.113.7 port 4444',
    data: { srcip: '203.0.113.7', srcuser: 'admin' },
  });
}
alerts.push(fimAlert(2000, '/etc/passwd', 'modified', { size: '20', md5: 'b', before: { size: '10', md5: 'a' } }, now - 3_600_000));
alerts.push(fimAlert(2001, '/etc/sudoers', 'modified', { size: '900', md5: 'd', before: { size: '800', md5: 'c' } }, now - 1_800_000));
alerts.push(scaCheckAlert(3000, '001', '1001', 'failed', now - 7_200_000), scaCheckAlert(3001, '001', '1002', 'passed', now - 7_199_000), scaSummaryAlert(3002, '001', 1, 1, now - 7_198_000));

const store = new SqliteAlertStore(join(dir, 'vigil.db'));
store.write(alerts);
store.close();
const reader = openAlertsReadOnly(join(dir, 'vigil.db'));
const logger = createLogger({ level: 'silent' });
const open = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, maxLimit: 1000, dashboard: { sessionHours: 1 } });
const locked = await startQueryApi({ reader, logger, host: '127.0.0.1', port: 0, maxLimit: 1000, token: 'screenshots-token-0123', dashboard: { sessionHours: 1 } });
const browser = await launchBrowser();
try {
  if ('skip' in browser) throw new Error(browser.skip);
  mkdirSync(out, { recursive: true });
  const page = await browser.context.newPage();
  const shots: Array<[string, string, string]> = [
    ['login', `${locked.url}/ui/`, 'form'],
    ['events', `${open.url}/ui/#/events`, 'table.alerts'],
    ['events-filtered', `${open.url}/ui/#/events?level=10&agent=001`, 'table.alerts'],
    ['events-bad-filter', `${open.url}/ui/#/events?level=high`, '.error'],
    ['alert', `${open.url}/ui/#/alert/${(alerts[400] as Alert).id}`, '.alert-detail'],
    ['agents', `${open.url}/ui/#/agents`, 'table.agents'],
    ['agent', `${open.url}/ui/#/agent/001`, 'table.sca-failed'],
    ['compliance', `${open.url}/ui/#/compliance?standard=pci_dss&requirement=11.4`, 'table.requirements'],
    ['mitre', `${open.url}/ui/#/mitre`, '.matrix'],
    ['rule-testing', `${open.url}/ui/#/logtest`, '.logtest'],
    ['vulnerabilities', `${open.url}/ui/#/vulnerabilities`, '.not-yet'],
  ];
  for (const [name, url, selector] of shots) {
    await page.goto(url);
    await page.locator(selector).first().waitFor();
    await page.waitForTimeout(300); // let the chart draw
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(`wrote screenshots/${name}.png`);
  }
} finally {
  if (!('skip' in browser)) await browser.close();
  await open.stop();
  await locked.stop();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
}
