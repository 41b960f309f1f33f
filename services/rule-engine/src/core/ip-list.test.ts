import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileIpList, matchIpList } from './ip-list.ts';

test('IP lists: addresses, CIDR, netmasks, IPv6, negation as Wazuh evaluates it', () => {
  const { list, errors } = compileIpList(['10.0.0.0/8', '192.168.1.0/255.255.255.0', '2001:db8::/32', '::ffff:1.2.3.4']);
  assert.deepEqual(errors, []);
  assert.equal(matchIpList(list, '10.200.1.1'), true);
  assert.equal(matchIpList(list, '192.168.1.254'), true);
  assert.equal(matchIpList(list, '192.168.2.1'), false);
  assert.equal(matchIpList(list, '2001:db8:1::7'), true);
  assert.equal(matchIpList(list, '2001:db9::1'), false);
  assert.equal(matchIpList(list, '::ffff:1.2.3.4'), true);
  assert.equal(matchIpList(list, 'not-an-ip'), undefined);
  assert.equal(matchIpList(list, '300.1.1.1'), undefined);
  const neg = compileIpList(['!10.0.0.0/8']).list;
  assert.equal(matchIpList(neg, '10.1.1.1'), false);
  assert.equal(matchIpList(neg, '8.8.8.8'), true, 'no entry holds it: the inverse of the final (negative) polarity');
  assert.deepEqual(compileIpList(['10.0.0.0/33', 'x.y']).errors, ["'10.0.0.0/33' has an invalid prefix", "'x.y' is not an IP address or network"]);
});
