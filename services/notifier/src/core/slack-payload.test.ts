import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fimAlert, scaAlert, scaSummaryAlert, sshdAlert } from '../../test/fixtures/alerts.ts';
import { composeNotice } from './notice.ts';
import { singleItem } from './fold-window.ts';
import { singleNotice, toSlackPayload } from './slack-payload.ts';

test('a generic alert: header, rule, agent, location, source IP and user, log line, MITRE and compliance, dashboard link', () => {
  const payload = toSlackPayload(singleNotice(sshdAlert()), { dashboardUrl: 'https://dash.example/' });
  assert.deepEqual(payload, {
    text: '[level 5] rule 5710 on web01: sshd: Attempt to login using a non-existent user',
    attachments: [
      {
        color: '#2979ff',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Level 5 · sshd: Attempt to login using a non-existent user', emoji: true } },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: '*Rule*\n5710' },
              { type: 'mrkdwn', text: '*Agent*\nweb01 (001) 10.0.0.5' },
              { type: 'mrkdwn', text: '*Location*\n/var/log/auth.log' },
              { type: 'mrkdwn', text: '*Source IP*\n1.2.3.4:4444' },
              { type: 'mrkdwn', text: '*User*\nadmin' },
            ],
          },
          { type: 'section', text: { type: 'mrkdwn', text: '```May 10 12:34:56 web01 sshd[1234]: Invalid user admin from 1.2.3.4 port 4444```' } },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: '*MITRE ATT&amp;CK* T1110.001 Password Guessing (Credential Access) · *PCI DSS* 10.2.4, 10.2.5 · *GDPR* IV_35.7.d' }],
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'alert 1715344496.1 · 2024-05-10T12:34:56.789+0000 · <https://dash.example/alerts/1715344496.1|Open in dashboard>' }],
          },
        ],
      },
    ],
  });
});

test('a FIM alert: file path, event, changed attributes with before and after, who changed it; no link without dashboard', () => {
  const payload = toSlackPayload(singleNotice(fimAlert()));
  assert.deepEqual(payload, {
    text: '[level 7] rule 550 on db01: Integrity checksum changed.',
    attachments: [
      {
        color: '#ff9100',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Level 7 · Integrity checksum changed.', emoji: true } },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: '*Rule*\n550' },
              { type: 'mrkdwn', text: '*Agent*\ndb01 (002)' },
              { type: 'mrkdwn', text: '*Location*\nsyscheck' },
              { type: 'mrkdwn', text: '*File*\n/etc/passwd' },
              { type: 'mrkdwn', text: '*Event*\nmodified' },
              { type: 'mrkdwn', text: '*Changed attributes*\nsize, md5' },
              { type: 'mrkdwn', text: '*Mode*\nrealtime' },
              { type: 'mrkdwn', text: '*Changed by*\nroot' },
              { type: 'mrkdwn', text: '*Process*\n/usr/sbin/useradd' },
            ],
          },
          { type: 'section', text: { type: 'mrkdwn', text: '*Changes*\n• size: 1200 → 1234\n• md5: aaa → bbb' } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: '*PCI DSS* 11.5' }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'alert 1715344800.2 · 2024-05-10T12:40:00.000+0000' }] },
        ],
      },
    ],
  });
});

test('an SCA alert: policy, failing check, result, target, rationale and remediation, compliance from the check', () => {
  const payload = toSlackPayload(singleNotice(scaAlert({ rule: { level: 12 } })));
  assert.deepEqual(payload, {
    text: '[level 12] rule 19007 on bastion: CIS Debian: Ensure SSH root login is disabled: Status changed from passed to failed',
    attachments: [
      {
        color: '#d50000',
        blocks: [
          {
            type: 'header',
            text: { type: 'plain_text', text: 'Level 12 · CIS Debian: Ensure SSH root login is disabled: Status changed from passed to failed', emoji: true },
          },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: '*Rule*\n19007' },
              { type: 'mrkdwn', text: '*Agent*\nbastion (003)' },
              { type: 'mrkdwn', text: '*Location*\nsca' },
              { type: 'mrkdwn', text: '*Policy*\nCIS Debian Linux 12 Benchmark' },
              { type: 'mrkdwn', text: '*Check*\n28500: Ensure SSH root login is disabled.' },
              { type: 'mrkdwn', text: '*Result*\nfailed' },
              { type: 'mrkdwn', text: '*Target*\n/etc/ssh/sshd_config' },
            ],
          },
          { type: 'section', text: { type: 'mrkdwn', text: '*Rationale*\nRoot login over SSH should not be allowed.' } },
          { type: 'section', text: { type: 'mrkdwn', text: '*Remediation*\nSet PermitRootLogin no in /etc/ssh/sshd_config.' } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: '*PCI DSS* 2.2.4, 8.1 · *CIS* 5.2.10' }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'alert 1715346000.3 · 2024-05-10T13:00:00.000+0000' }] },
        ],
      },
    ],
  });
});

test('a folded notice says how many alerts of the rule it stands for and what the rate limit folded in', () => {
  const lead = sshdAlert({ id: 'a9', timestamp: '2024-05-10T12:35:30.000+0000', full_log: 'x <script> & y' });
  const notice = composeNotice([
    {
      key: '5710@001/1.2.3.4',
      lead,
      count: 9,
      folded: true,
      alertIds: ['a1', 'a9'],
      firstTimestamp: '2024-05-10T12:35:00.000+0000',
      lastTimestamp: lead.timestamp,
      tally: { srcip: { '1.2.3.4': 9 }, srcuser: { admin: 6, root: 3 } },
    },
    singleItem(sshdAlert({ id: 'f1', rule: { level: 3 }, agent: { id: '002', name: 'db01' }, timestamp: '2024-05-10T12:36:00.000+0000' })),
    singleItem(sshdAlert({ id: 'f2', rule: { level: 3 }, agent: { id: '002', name: 'db01' }, data: { srcip: '1.2.3.4', dstuser: 'oracle' } })),
  ]);
  const payload = toSlackPayload(notice);
  assert.equal(payload.text, '[level 5] rule 5710 on web01 ×9: sshd: Attempt to login using a non-existent user (+2 more)');
  const blocks = payload.attachments[0]?.blocks ?? [];
  assert.deepEqual(blocks[2], { type: 'section', text: { type: 'mrkdwn', text: '```x &lt;script&gt; &amp; y```' } });
  assert.deepEqual(blocks[4], {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text:
        ':repeat: Rule 5710 fired *9* more times on web01 from 2024-05-10T12:35:00.000+0000 to 2024-05-10T12:35:30.000+0000 (the latest is shown).\n' +
        ':hourglass: *2* more alerts were folded into this message by the rate limit:\n' +
        '• ×2 rule 5710 (level 3) on db01: sshd: Attempt to login using a non-existent user\n' +
        '*Source IPs*: 1.2.3.4 ×11\n' +
        '*Users*: admin ×7, root ×3\n' +
        '*Target users*: oracle ×1\n' +
        '*First* 2024-05-10T12:34:56.789+0000 · *Last* 2024-05-10T12:36:00.000+0000',
    },
  });
  assert.deepEqual(notice.alertIds, ['a1', 'a9', 'f1', 'f2']);
});

test('an SCA summary reads as policy, score, counts and the failing checks, not as its JSON', () => {
  const payload = toSlackPayload(singleNotice(scaSummaryAlert()));
  assert.deepEqual(payload.attachments[0]?.blocks.slice(1, 3), [
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Rule*\n19004' },
        { type: 'mrkdwn', text: '*Agent*\nbastion (003)' },
        { type: 'mrkdwn', text: '*Location*\nsca' },
        { type: 'mrkdwn', text: '*Policy*\nCIS Debian Linux 12 Benchmark' },
        { type: 'mrkdwn', text: '*Score*\n95%' },
        { type: 'mrkdwn', text: '*Passed*\n40' },
        { type: 'mrkdwn', text: '*Failed*\n2' },
        { type: 'mrkdwn', text: '*Not applicable*\n3' },
        { type: 'mrkdwn', text: '*Checks*\n45' },
      ],
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Failing checks*\n• 28500: Ensure SSH root login is disabled.\n• 28501: Ensure &lt;X11&gt; forwarding is disabled.' },
    },
  ]);
  assert.doesNotMatch(JSON.stringify(payload), /failed_checks/, 'no JSON blob');
});

test('a configured template replaces the summary text and opens the message', () => {
  const payload = toSlackPayload(singleNotice(sshdAlert({ data: { srcip: '1.2.3.4', srcuser: '<admin>' } })), {
    template: ':rotating_light: {{rule.description}} on {{agent.name}} from {{data.srcip}} as {{data.srcuser}}',
  });
  const expected = ':rotating_light: sshd: Attempt to login using a non-existent user on web01 from 1.2.3.4 as &lt;admin&gt;';
  assert.equal(payload.text, expected);
  assert.deepEqual(payload.attachments[0]?.blocks[1], { type: 'section', text: { type: 'mrkdwn', text: expected } });
});
