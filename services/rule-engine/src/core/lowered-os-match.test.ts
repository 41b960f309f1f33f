import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OsMatch } from '@vigil/decoder';
import { compileLoweredOsMatch } from './lowered-os-match.ts';

test('the lowered OS_Match agrees with the decoder package OsMatch', () => {
  const patterns = ['segfault at ', '^Failed|error$', '!denied', '^$', '', '^', '$', 'a||b', '^ÄbC$', 'FAILED LOGIN |authentication failure|', '^sshd$', 'x$|^y', '.*'];
  const subjects = ['Segfault At 0x1', 'failed to start', 'an ERROR', 'denied', '', 'äbc', 'ÄBC', 'Äbc', 'FAILED login here', 'sshd', 'SSHD ', 'yx', 'a.*b', 'İstanbul error'];
  for (const p of patterns) {
    const ours = compileLoweredOsMatch(p);
    const theirs = OsMatch.compile(p);
    for (const s of subjects) assert.equal(ours.test(s), theirs.test(s), `pattern '${p}' on '${s}'`);
  }
});
