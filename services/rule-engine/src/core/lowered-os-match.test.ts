import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OsMatch } from '@vigil/wazuh-format';
import { compileLoweredOsMatch, lowerAscii } from './lowered-os-match.ts';

test('the lowered OS_Match agrees with the decoder package OsMatch', () => {
  const patterns = ['segfault at ', '^Failed|error$', '!denied', '^$', '', '^', '$', 'a||b', '^ÄbC$', 'FAILED LOGIN |authentication failure|', '^sshd$', 'x$|^y', '.*'];
  const subjects = ['Segfault At 0x1', 'failed to start', 'an ERROR', 'denied', '', 'äbc', 'ÄBC', 'Äbc', 'FAILED login here', 'sshd', 'SSHD ', 'yx', 'a.*b', 'İstanbul error'];
  for (const p of patterns) {
    const ours = compileLoweredOsMatch(p);
    const theirs = OsMatch.compile(p);
    for (const s of subjects) assert.equal(ours.test(s), theirs.test(s), `pattern '${p}' on '${s}'`);
  }
});

test('lowerAscii lowers ASCII letters only, keeping non-ASCII characters and the length', () => {
  const cases: Array<[string, string]> = [
    ['ABC def', 'abc def'],
    ['ÉCOLE Abc', 'École abc'],
    ['İSTANBUL ERROR', 'İstanbul error'],
    ['ÄÖÜ', 'ÄÖÜ'],
    ['x\u00c0Y\u00c0Z', 'x\u00c0y\u00c0z'],
    ['', ''],
  ];
  for (const [input, want] of cases) {
    assert.equal(lowerAscii(input), want, input);
    assert.equal(lowerAscii(input).length, input.length);
  }
});
