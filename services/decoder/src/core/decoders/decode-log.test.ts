import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDecoders } from './load-decoders.ts';
import { decodeLog } from './decode-log.ts';
import { predecode } from '../predecode.ts';
import type { DecoderSet } from './decoder-types.ts';

function decoders(text: string): DecoderSet {
  const r = loadDecoders([{ file: 'fixture.xml', text }]);
  assert.deepEqual(r.errors, []);
  return r.set;
}

function decode(set: DecoderSet, line: string) {
  const pre = predecode(line);
  return decodeLog(set, { log: pre.log, programName: pre.program_name });
}

const SSHD = decoders(`
<decoder name="sshd"><program_name>^sshd</program_name></decoder>
<decoder name="ssh-invalid-user">
  <parent>sshd</parent>
  <prematch>^Invalid user|^Illegal user</prematch>
  <regex offset="after_prematch">(\\S+) from (\\S+)</regex>
  <order>srcuser, srcip</order>
</decoder>
<decoder name="ssh-invalid-user">
  <parent>sshd</parent>
  <regex offset="after_regex">port (\\S+)</regex>
  <order>srcport</order>
</decoder>
<decoder name="ssh-accepted">
  <parent>sshd</parent>
  <use_own_name>true</use_own_name>
  <prematch>^Accepted</prematch>
  <regex offset="after_prematch">^ \\S+ for (\\S+) from (\\S+) port (\\S+)</regex>
  <order>user, srcip, srcport</order>
</decoder>
<decoder name="ssh-any">
  <parent>sshd</parent>
  <regex>^(\\w+)</regex>
  <order>first.word</order>
</decoder>
`);

test('the worked sshd example: prematch, after_prematch, a sibling with after_regex; the parent name is reported', () => {
  assert.deepEqual(decode(SSHD, 'Dec 10 01:02:03 h sshd[1]: Invalid user admin from 1.2.3.4 port 4444'), {
    decoder: { name: 'sshd', parent: 'sshd', type: 'syslog', accumulate: false },
    fields: { srcuser: 'admin', srcip: '1.2.3.4', srcport: '4444' },
  });
});

test('use_own_name keeps the child name; user is dstuser', () => {
  assert.deepEqual(decode(SSHD, 'Dec 10 01:02:03 h sshd[1]: Accepted password for bob from 5.6.7.8 port 22 ssh2'), {
    decoder: { name: 'ssh-accepted', parent: 'sshd', type: 'syslog', accumulate: false },
    fields: { dstuser: 'bob', srcip: '5.6.7.8', srcport: '22' },
  });
});

test('a child without prematch is selected but the parent stays the owner (no parent key); dynamic dotted fields', () => {
  assert.deepEqual(decode(SSHD, 'Dec 10 01:02:03 h sshd[1]: Connection closed'), {
    decoder: { name: 'sshd', type: 'syslog', accumulate: false },
    fields: { 'first.word': 'Connection' },
  });
});

test('an event with a program name only tries decoders with <program_name>, and one without only the others', () => {
  const set = decoders(`
<decoder name="by-prematch"><prematch>^hello</prematch></decoder>
<decoder name="by-program"><program_name>app</program_name></decoder>`);
  assert.equal(decode(set, 'Dec 10 01:02:03 h app: hello').decoder?.name, 'by-program');
  assert.equal(decode(set, 'Dec 10 01:02:03 h other: hello').decoder, undefined);
  assert.equal(decode(set, 'hello world').decoder?.name, 'by-prematch');
});

test('the first top-level decoder that passes is final, even when its children fail', () => {
  const set = decoders(`
<decoder name="first"><prematch>^x</prematch></decoder>
<decoder name="kid"><parent>first</parent><prematch>never</prematch></decoder>
<decoder name="second"><prematch>^x</prematch></decoder>`);
  assert.deepEqual(decode(set, 'x y'), { decoder: { name: 'first', type: 'syslog', accumulate: false }, fields: {} });
});

test("a child's prematch sees the whole log unless offset=after_parent", () => {
  const set = decoders(`
<decoder name="p"><prematch>^abc </prematch></decoder>
<decoder name="c1"><parent>p</parent><prematch offset="after_parent">^abc</prematch><regex>(\\w+)$</regex><order>a</order></decoder>
<decoder name="c2"><parent>p</parent><prematch>^abc</prematch><regex offset="after_parent">^(\\w+)</regex><order>b</order></decoder>`);
  assert.deepEqual(decode(set, 'abc def').fields, { b: 'def' });
  assert.deepEqual(decode(set, 'abc abc').fields, { a: 'abc' });
});

test('within a sibling group a failing regex goes on to the next sibling, except the last', () => {
  const set = decoders(`
<decoder name="p"><prematch>^kv: </prematch></decoder>
<decoder name="s"><parent>p</parent><regex>a=(\\w+)</regex><order>a</order></decoder>
<decoder name="s"><parent>p</parent><regex>b=(\\w+)</regex><order>b</order></decoder>
<decoder name="s"><parent>p</parent><regex>c=(\\w+)</regex><order>c</order></decoder>`);
  assert.deepEqual(decode(set, 'kv: c=3 a=1').fields, { a: '1', c: '3' });
  assert.deepEqual(decode(set, 'kv: b=2').fields, { b: '2' });
});

test('static fields: the last write wins; dynamic fields: the first; captures beyond <order> are dropped', () => {
  const set = decoders(`
<decoder name="p"><prematch>^m </prematch></decoder>
<decoder name="s"><parent>p</parent><regex>a=(\\w+) b=(\\w+) c=(\\w+)</regex><order>srcip, x</order></decoder>
<decoder name="s"><parent>p</parent><regex offset="after_regex">d=(\\w+) e=(\\w+)</regex><order>srcip, x</order></decoder>`);
  assert.deepEqual(decode(set, 'm a=1 b=2 c=3 d=4 e=5').fields, { srcip: '4', x: '2' });
});

test('JSON_Decoder: nested keys dotted, arrays as cJSON prints them, static keys, text after the object ignored', () => {
  const set = decoders(`
<decoder name="json"><prematch>^{\\s*"</prematch><plugin_decoder>JSON_Decoder</plugin_decoder></decoder>`);
  const r = decode(set, '{"srcip":"1.2.3.4","user":"bob","a":{"b":1,"c":1.5,"d":null,"e":true},"list":["x",2],"systemname":"h"} trailing');
  assert.deepEqual(r.fields, {
    srcip: '1.2.3.4',
    dstuser: 'bob',
    'a.b': '1',
    'a.c': '1.500000',
    'a.d': 'null',
    'a.e': 'true',
    list: '["x", 2]',
    system_name: 'h',
  });
  assert.deepEqual(decode(set, '{"broken": ').fields, {});
});

test('JSON_Decoder flags: json_null_field discard, json_array_structure csv, plugin offset after_prematch', () => {
  const set = decoders(`
<decoder name="j"><prematch>^JSON: </prematch><plugin_decoder offset="after_prematch">JSON_Decoder</plugin_decoder>
  <json_null_field>discard</json_null_field><json_array_structure>csv</json_array_structure></decoder>`);
  assert.deepEqual(decode(set, 'JSON: {"n":null,"l":["a","b",3],"big":3000000000}').fields, { l: 'a,b,3', big: '3000000000.000000' });
});

test('plugin decoders: PF, SymantecWS, SonicWall (type from the message id), OSSECAlert', () => {
  const set = decoders(`
<decoder name="pf"><program_name>^pf$</program_name><plugin_decoder>PF_Decoder</plugin_decoder></decoder>
<decoder name="symantec-ws"><prematch>^\\d+,\\d+,\\d=\\d+,</prematch><plugin_decoder>SymantecWS_Decoder</plugin_decoder></decoder>
<decoder name="sonicwall"><prematch>^id=firewall </prematch><plugin_decoder>SonicWall_Decoder</plugin_decoder></decoder>
<decoder name="ossec-alert"><prematch>^Alert Level: </prematch><plugin_decoder>OSSECAlert_Decoder</plugin_decoder></decoder>`);
  assert.deepEqual(
    decode(set, 'Mar 30 15:33:26 enigma pf: Mar 30 15:32:33.483712 rule 2/(match) pass in on xl0: 140.211.166.3.6667 > 192.168.2.10.16290: P 7408').fields,
    { action: 'pass', srcip: '140.211.166.3', srcport: '6667', dstip: '192.168.2.10', dstport: '16290', protocol: 'TCP' },
  );
  assert.deepEqual(decode(set, '20070717,73614,1=5,11=1.2.3.4,1106=News,60=http://news.bbc.co.uk/,10=userX,1000=212.58.240.42,2=27').fields, {
    srcip: '1.2.3.4',
    url: 'http://news.bbc.co.uk/',
    dstuser: 'userX',
    id: '2=27',
  });
  const sw = decode(set, 'id=firewall sn=000SERIAL time="2007-01-03 14:48:06" fw=1.1.1.1 pri=6 c=262144 m=98 msg="Connection Opened" n=23419 src=2.2.2.2:36701:WAN dst=1.1.1.1:50000:WAN proto=tcp/50000');
  assert.equal(sw.decoder?.type, 'firewall');
  assert.deepEqual(sw.fields, { status: '6', id: '98', srcip: '2.2.2.2', srcport: '36701', dstip: '1.1.1.1', dstport: '50000', protocol: 'tcp', action: 'pass' });
  const alert = decode(set, 'Alert Level: 3; Rule: 5715 - SSHD authentication success.; Location: (web) 1.2.3.4->/var/log/secure; srcip: 5.6.7.8; user: root;  Dec 10 01:02:03 web sshd[1]: Accepted');
  assert.deepEqual(alert.fields, { srcip: '5.6.7.8', dstuser: 'root' });
  assert.deepEqual(alert.ossecAlert, { ruleId: '5715', location: '(web) 1.2.3.4->/var/log/secure', log: 'Dec 10 01:02:03 web sshd[1]: Accepted' });
});
