import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ftsText, percentDecode } from './fts-text.ts';

test('a URL-encoded line is indexed with its decoded copy; a plain one as it is', () => {
  assert.equal(ftsText('GET /a?id=1%20UNION%20SELECT+x'), 'GET /a?id=1%20UNION%20SELECT+x\nGET /a?id=1 UNION SELECT x');
  assert.equal(ftsText('sshd: Invalid user admin'), 'sshd: Invalid user admin');
});

test('malformed escapes are kept as they are', () => {
  assert.equal(percentDecode('100% sure %zz %e9%20x %C3%A9'), '100% sure %zz %e9%20x é');
});
