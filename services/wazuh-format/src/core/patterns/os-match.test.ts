import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OsMatch, WordMatch } from './os-match.ts';

const m = (p: string, s: string) => OsMatch.compile(p).test(s);

test('OS_Match: substring, ^ prefix, $ suffix, ^...$ equality, case-insensitive for ASCII only', () => {
  assert.equal(m('failed password', 'sshd: Failed PASSWORD for root'), true);
  assert.equal(m('^Accepted', 'xAccepted'), false);
  assert.equal(m('ssh2$', 'port 22 ssh2'), true);
  assert.equal(m('^abc$', 'ABC'), true);
  assert.equal(m('^abc$', 'abcd'), false);
  assert.equal(m('é', 'É'), false, 'only A-Z fold');
});

test('OS_Match: | splits everywhere (no escape), an empty alternative always matches, ! negates the whole', () => {
  assert.equal(m('a\\|b', 'a\\'), true);
  assert.equal(m('a|', 'zzz'), true);
  assert.equal(m('!foo|bar', 'bar'), false);
  assert.equal(m('!foo|bar', 'baz'), true);
  assert.equal(m('^', 'x'), true);
  assert.equal(m('$', ''), true);
  assert.equal(m('^$', ''), true);
  assert.equal(m('^$', 'x'), false);
});

test('OS_Match: regex characters are literals', () => {
  assert.equal(m('a.b', 'axb'), false);
  assert.equal(m('a.b', 'a.b'), true);
  assert.equal(m('(x)*[y]', '(x)*[y]'), true);
});

test('WordMatch (if_group): substring and ^ prefix, no $ or !, empty never matches', () => {
  assert.equal(WordMatch.compile('authentication_failed').test('syslog,sshd,authentication_failed,'), true);
  assert.equal(WordMatch.compile('^syslog').test('syslog,sshd'), true);
  assert.equal(WordMatch.compile('sshd$').test('sshd'), false);
  assert.equal(WordMatch.compile('').test('anything'), false);
});
