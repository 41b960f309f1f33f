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

test('IPv4-mapped IPv6 addresses are their IPv4 address, in events and in lists', () => {
  const { list, errors } = compileIpList(['10.0.0.0/8']);
  assert.deepEqual(errors, []);
  assert.equal(matchIpList(list, '::ffff:10.1.2.3'), true, 'a dual-stack sshd logs IPv4 peers this way');
  assert.equal(matchIpList(list, '::FFFF:10.1.2.3'), true);
  assert.equal(matchIpList(list, '::ffff:a01:203'), true, 'hex form of the same');
  assert.equal(matchIpList(list, '::ffff:11.1.2.3'), false);
  const mapped = compileIpList(['::ffff:192.168.0.0/112']).list;
  assert.equal(matchIpList(mapped, '192.168.7.7'), true, 'a mapped network counts its prefix in IPv6 bits');
  assert.equal(matchIpList(mapped, '192.169.0.1'), false);
  assert.equal(matchIpList(compileIpList(['::ffff:1.2.3.4']).list, '1.2.3.4'), true);
});

test('zone ids: accepted on any interface name, ignored for matching', () => {
  const { list, errors } = compileIpList(['fe80::/10']);
  assert.deepEqual(errors, []);
  assert.equal(matchIpList(list, 'fe80::1%eth0'), true);
  assert.equal(matchIpList(list, 'fe80::1ff:fe23:4567:890a%br-4f2a9c'), true);
  assert.equal(matchIpList(list, 'fe80::1%'), undefined, 'an empty zone id');
  assert.equal(matchIpList(list, 'fe80::1%a b'), undefined);
  assert.equal(matchIpList(compileIpList(['fe80::1%eth0']).list, 'fe80::1%eth1'), true);
});

test('netmask forms: prefix, dotted IPv4 mask, IPv6 mask; non-contiguous masks are errors', () => {
  const { list, errors } = compileIpList(['172.16.0.0/255.240.0.0', '2001:db8::/ffff:ffff::', '0.0.0.0/0']);
  assert.deepEqual(errors, []);
  assert.equal(matchIpList(compileIpList(['172.16.0.0/255.240.0.0']).list, '172.31.255.1'), true);
  assert.equal(matchIpList(compileIpList(['172.16.0.0/255.240.0.0']).list, '172.32.0.1'), false);
  assert.equal(matchIpList(compileIpList(['2001:db8::/ffff:ffff::']).list, '2001:db8:ffff::1'), true);
  assert.equal(matchIpList(compileIpList(['2001:db8::/ffff:ffff::']).list, '2001:db9::1'), false);
  assert.equal(matchIpList(list, '8.8.8.8'), true, '/0 holds every IPv4 address');
  assert.equal(matchIpList(compileIpList(['10.9.9.9/8']).list, '10.1.1.1'), true, 'host bits of the entry are ignored');
  assert.deepEqual(compileIpList(['10.0.0.0/255.0.255.0', '10.0.0.0/255.255.0', 'fe80::/129', '::ffff:1.2.3.4/129', '1.2.3.4/8/8']).errors, [
    "'10.0.0.0/255.0.255.0' has an invalid netmask",
    "'10.0.0.0/255.255.0' has an invalid netmask",
    "'fe80::/129' has an invalid prefix",
    "'::ffff:1.2.3.4/129' has an invalid prefix",
    "'1.2.3.4/8/8' is not an IP address or network",
  ]);
});

test('only four-part decimal IPv4, as inet_pton: no octal, hex or short forms', () => {
  const list = compileIpList(['10.0.0.0/8']).list;
  for (const bad of ['010.0.0.1', '0x0a.0.0.1', '10.1', '167772161', '10.0.0.256', '10.0.0.1.', ' ', '1:2:3:4:5:6:7:8:9', '12345::1', 'fe80::1::2', '10.0.0.1:22', 'host:443', '[2001:db8::1]:22', 'dead:beef']) {
    assert.equal(matchIpList(list, bad), undefined, bad);
  }
  assert.equal(matchIpList(list, ' 10.0.0.1 '), true, 'surrounding blanks are trimmed');
  assert.equal(matchIpList(list, '0.0.0.0'), false);
});
