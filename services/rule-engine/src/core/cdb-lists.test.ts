import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressLookup, listName, parseCdbList } from './cdb-lists.ts';

test('CDB list sources: key:value split at the first colon, quoted keys, lines without a colon ignored', () => {
  const list = parseCdbList('a:1\nb:x:y\n"c:d":quoted\nno colon here\nempty:\n"e":"f"\r\n');
  assert.deepEqual([...list], [['a', '1'], ['b', 'x:y'], ['c:d', 'quoted'], ['empty', ''], ['e', 'f']]);
  assert.equal(listName('etc/lists/malicious-ioc/malicious-ip'), 'malicious-ioc/malicious-ip');
  assert.equal(listName('etc/lists/audit-keys.cdb'), 'audit-keys');
});

test('address_match_key tries the key, then its prefixes ending in a dot', () => {
  const list = parseCdbList('192.168.1.:lan\n10.:ten\n8.8.8.8:dns\n');
  assert.equal(addressLookup(list, '192.168.1.10'), 'lan');
  assert.equal(addressLookup(list, '10.9.9.9'), 'ten');
  assert.equal(addressLookup(list, '8.8.8.8'), 'dns');
  assert.equal(addressLookup(list, '8.8.4.4'), undefined);
});
