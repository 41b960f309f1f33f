import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFimPolicy, directoryFor, isMonitored, isNoDiff } from './fim-policy.ts';

const checks = { size: true, perm: true, owner: true, group: true, mtime: true, inode: true, md5: true, sha1: true, sha256: true };
const dir = (path: string, extra: Record<string, unknown> = {}) => ({ path, recursionLevel: 256, realtime: false, whodata: false, reportChanges: false, tags: [], checks, ...extra });

test('recursion level, ignore (path and pattern), restrict and the most specific directory', () => {
  const policy = compileFimPolicy({
    directories: [dir('/etc', { recursionLevel: 1 }), dir('/etc/ssl/', { restrict: '\\.pem$' })],
    ignore: ['/etc/mtab', '/etc/cache'],
    ignorePatterns: ['\\.swp$'],
    nodiff: ['/etc/shadow'],
    nodiffPatterns: ['secret'],
  });
  assert.equal(isMonitored(policy, '/etc/passwd'), true);
  assert.equal(isMonitored(policy, '/etc/a/b'), true, 'depth 1');
  assert.equal(isMonitored(policy, '/etc/a/b/c'), false, 'deeper than the recursion level');
  assert.equal(isMonitored(policy, '/etc/mtab'), false);
  assert.equal(isMonitored(policy, '/etc/cache/x'), false, 'under an ignored directory');
  assert.equal(isMonitored(policy, '/etc/.passwd.swp'), false);
  assert.equal(isMonitored(policy, '/etc/ssl/a/b/c/cert.pem'), true, '/etc/ssl has its own recursion level');
  assert.equal(isMonitored(policy, '/etc/ssl/readme.txt'), false, 'restrict');
  assert.equal(directoryFor(policy, '/etc/ssl/x.pem')?.path, '/etc/ssl');
  assert.equal(isMonitored(policy, '/var/x'), false);
  assert.equal(isNoDiff(policy, '/etc/shadow'), true);
  assert.equal(isNoDiff(policy, '/etc/app/secret.key'), true);
  assert.equal(isNoDiff(policy, '/etc/hosts'), false);
});
