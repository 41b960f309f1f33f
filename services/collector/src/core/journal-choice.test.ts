import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseJournal, type JournalFacts } from './journal-choice.ts';

const stock: JournalFacts = { setting: 'auto', hostLogs: true, presentHostLogs: ['/var/log/syslog'], journalctl: true, journalFiles: true };

test('auto: a host without auth.log or secure (Debian 12, Ubuntu, node images) follows the journal and says why', () => {
  const choice = chooseJournal(stock);
  assert.equal(choice.follow, true);
  assert.match(choice.note ?? '', /^journal: following, since this host has no \/var\/log\/auth\.log or \/var\/log\/secure$/);
});

test('auto: where rsyslog writes auth.log (or secure, or under a host mount) the journal is not followed twice', () => {
  for (const file of ['/var/log/auth.log', '/var/log/secure', '/host/var/log/auth.log']) {
    const choice = chooseJournal({ ...stock, presentHostLogs: ['/var/log/syslog', file] });
    assert.equal(choice.follow, false, file);
    assert.equal(choice.note, `journal: not followed, authentication is logged to ${file}`);
  }
});

test('auto: no auth log and no journal to read says that logins are not watched, and why', () => {
  const noFiles = chooseJournal({ ...stock, journalFiles: false });
  assert.equal(noFiles.follow, false);
  assert.match(noFiles.note ?? '', /none found .*no journal files were found\); logins are not watched/);
  const noBinary = chooseJournal({ ...stock, journalctl: false });
  assert.equal(noBinary.follow, false);
  assert.match(noBinary.note ?? '', /journalctl is not installed/);
});

test('auto without hostLogs follows nothing and says nothing; explicit true and false are obeyed', () => {
  assert.deepEqual(chooseJournal({ ...stock, hostLogs: false }), { follow: false, note: undefined });
  assert.deepEqual(chooseJournal({ ...stock, setting: false }), { follow: false, note: undefined });
  const forced = chooseJournal({ ...stock, setting: true, presentHostLogs: ['/var/log/auth.log'] });
  assert.equal(forced.follow, true);
  assert.match(chooseJournal({ ...stock, setting: true, journalctl: false }).note ?? '', /journalctl is not installed/);
});
