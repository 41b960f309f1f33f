import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffFileState } from './diff-file-state.ts';
import { formatMtime, permString, type FileState } from './file-state.ts';
import { fimFullLog, syscheckObject } from './syscheck-payload.ts';

const base: FileState = {
  path: '/etc/app.conf',
  size: 10,
  mode: 0o644,
  uid: 0,
  gid: 0,
  uname: 'root',
  gname: 'root',
  mtime: 1_700_000_000,
  inode: 1234,
  md5: 'm1',
  sha1: 's1',
  sha256: 'h1',
};

test('no change, no event; a new path is added, a vanished one deleted', () => {
  assert.equal(diffFileState(base, { ...base }), undefined);
  assert.deepEqual(diffFileState(undefined, base), { path: '/etc/app.conf', event: 'added', before: undefined, after: base, changedAttributes: [] });
  assert.deepEqual(diffFileState(base, undefined), { path: '/etc/app.conf', event: 'deleted', before: base, after: undefined, changedAttributes: [] });
  assert.equal(diffFileState(undefined, undefined), undefined);
});

test('a content change lists the changed attributes in Wazuh order and names', () => {
  const after = { ...base, size: 20, mtime: 1_700_000_100, md5: 'm2', sha1: 's2', sha256: 'h2' };
  assert.deepEqual(diffFileState(base, after)?.changedAttributes, ['size', 'mtime', 'md5', 'sha1', 'sha256']);
  const owner = { ...base, mode: 0o600, uid: 1, uname: 'daemon', gid: 1, gname: 'daemon', inode: 99 };
  assert.deepEqual(diffFileState(base, owner)?.changedAttributes, ['permission', 'uid', 'user_name', 'gid', 'group_name', 'inode']);
});

test('an attribute not checked on one side never counts as a change', () => {
  const { md5: _m, ...noMd5 } = base;
  assert.equal(diffFileState(base, { ...noMd5 }), undefined);
});

test('permissions are written as ls does, with setuid, setgid and sticky', () => {
  assert.equal(permString(0o644), 'rw-r--r--');
  assert.equal(permString(0o755), 'rwxr-xr-x');
  assert.equal(permString(0o4755), 'rwsr-xr-x');
  assert.equal(permString(0o2644), 'rw-r-Sr--');
  assert.equal(permString(0o1777), 'rwxrwxrwt');
  assert.match(formatMtime(1_700_000_000), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
});

test('the syscheck object of a modification is the one a Wazuh alert carries', () => {
  const after = { ...base, size: 20, mode: 0o600, mtime: 1_700_000_100, md5: 'm2', sha1: 's2', sha256: 'h2' };
  const change = diffFileState(base, after);
  assert.ok(change);
  const sc = syscheckObject(change, 'realtime', { tags: ['conf'] });
  assert.deepEqual(sc, {
    path: '/etc/app.conf',
    mode: 'realtime',
    size_before: '10',
    size_after: '20',
    perm_before: 'rw-r--r--',
    perm_after: 'rw-------',
    uid_after: '0',
    gid_after: '0',
    md5_before: 'm1',
    md5_after: 'm2',
    sha1_before: 's1',
    sha1_after: 's2',
    sha256_before: 'h1',
    sha256_after: 'h2',
    uname_after: 'root',
    gname_after: 'root',
    mtime_before: formatMtime(1_700_000_000),
    mtime_after: formatMtime(1_700_000_100),
    inode_after: 1234,
    tags: ['conf'],
    changed_attributes: ['size', 'permission', 'mtime', 'md5', 'sha1', 'sha256'],
    event: 'modified',
  });
  assert.equal(
    fimFullLog(sc),
    [
      "File '/etc/app.conf' modified",
      'Mode: realtime',
      'Changed attributes: size,permission,mtime,md5,sha1,sha256',
      "Size changed from '10' to '20'",
      "Permissions changed from 'rw-r--r--' to 'rw-------'",
      `Old modification time was: '${formatMtime(1_700_000_000)}', now it is '${formatMtime(1_700_000_100)}'`,
      "Old md5sum was: 'm1'",
      "New md5sum is : 'm2'",
      "Old sha1sum was: 's1'",
      "New sha1sum is : 's2'",
      "Old sha256sum was: 'h1'",
      "New sha256sum is : 'h2'",
    ].join('\n'),
  );
});

test('added and deleted carry the state as _after, no _before; empty values and audit fields are left out', () => {
  const added = syscheckObject({ path: '/x', event: 'added', before: undefined, after: { path: '/x', size: 0, uname: '', md5: '' }, changedAttributes: [] }, 'scheduled');
  assert.deepEqual(added, { path: '/x', mode: 'scheduled', size_after: '0', event: 'added' });
  const deleted = syscheckObject(
    { path: '/x', event: 'deleted', before: { path: '/x', size: 3, inode: 7 }, after: undefined, changedAttributes: [] },
    'whodata',
    { audit: { user: { id: '0', name: 'root' }, process: { id: '42', name: '/usr/bin/rm', cwd: '' }, login_user: { id: '1000' } } },
  );
  assert.deepEqual(deleted, {
    path: '/x',
    mode: 'whodata',
    size_after: '3',
    inode_after: 7,
    event: 'deleted',
    audit: { user: { id: '0', name: 'root' }, process: { id: '42', name: '/usr/bin/rm' }, login_user: { id: '1000' } },
  });
});
