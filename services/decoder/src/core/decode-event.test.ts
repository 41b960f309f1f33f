import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawEvent } from '@vigil/common';
import { validators } from '@vigil/common';
import { decodeEvent, MAX_LOG_LENGTH } from './decode-event.ts';
import { loadDecoders } from './decoders/load-decoders.ts';
import { Accumulator } from './decoders/accumulator.ts';

const { set } = loadDecoders([
  {
    file: 'fixture.xml',
    text: `
<decoder name="sshd"><program_name>^sshd$</program_name></decoder>
<decoder name="sshd-fail"><parent>sshd</parent><prematch>^Failed </prematch>
  <regex offset="after_prematch">^\\S+ for (\\S+) from (\\S+) port (\\d+)</regex><order>srcuser, srcip, srcport</order></decoder>
<decoder name="acc"><prematch>^acc </prematch><accumulate/><regex>id=(\\S+) user=(\\S*) ip=(\\S*)</regex><order>id, srcuser, srcip</order>
  <fts>name, srcuser</fts><ftscomment>first time</ftscomment><type>firewall</type></decoder>`,
  },
]);

const raw = (log: string, extra: Partial<RawEvent> = {}): RawEvent => ({
  v: 1,
  id: 'a1:1',
  seq: 1,
  agent: { id: 'a1', name: 'web01' },
  kind: 'log',
  location: '/var/log/auth.log',
  collectedAt: '2026-01-01T00:00:00.000Z',
  log,
  ...extra,
});
const now = new Date('2026-01-01T00:00:01.000Z');

test('decodeEvent: pre-decoding, owner decoder and fields, valid against the DecodedEvent schema', () => {
  const e = decodeEvent(raw('Dec 10 01:02:03 web01 sshd[77]: Failed password for root from 192.0.2.1 port 2222 ssh2'), { partitions: 4, now, decoders: set });
  assert.deepEqual(
    { predecoder: e.predecoder, decoder: e.decoder, data: e.data, log: e.log },
    {
      predecoder: { timestamp: 'Dec 10 01:02:03', hostname: 'web01', program_name: 'sshd' },
      decoder: { name: 'sshd', parent: 'sshd', type: 'syslog' },
      data: { srcuser: 'root', srcip: '192.0.2.1', srcport: '2222' },
      log: 'Failed password for root from 192.0.2.1 port 2222 ssh2',
    },
  );
  assert.equal(validators.decodedEvent.check(e), true);
});

test('decodeEvent: a 1 MB line is cut to MAX_LOG_LENGTH, marked truncated, and decodes', () => {
  const long = `Dec 10 01:02:03 web01 sshd[77]: Failed password for root from 192.0.2.1 port 2222 ${'x'.repeat(1024 * 1024)}`;
  const e = decodeEvent(raw(long), { partitions: 4, now, decoders: set });
  assert.equal(e.full_log.length, MAX_LOG_LENGTH);
  assert.equal(e.truncated, true);
  assert.equal(e.decoder?.name, 'sshd');
  assert.equal(validators.decodedEvent.check(e), true);
});

test('decodeEvent: text that was invalid UTF-8 (replacement characters) and lone surrogates decode without error', () => {
  const bytes = Buffer.concat([Buffer.from('Dec 10 01:02:03 web01 sshd[1]: Failed password for r'), Buffer.from([0xff, 0xc3]), Buffer.from('t from 1.2.3.4 port 1')]);
  const e = decodeEvent(raw(new TextDecoder().decode(bytes)), { partitions: 4, now, decoders: set });
  assert.equal(e.data['srcuser'], 'r\uFFFD\uFFFDt');
  const s = decodeEvent(raw('Dec 10 01:02:03 web01 sshd[1]: \uD800 Failed'), { partitions: 4, now, decoders: set });
  assert.equal(JSON.parse(JSON.stringify(s)).log, '\uD800 Failed');
});

test('decodeEvent: accumulate fills fields from earlier events with the same id; fts key; type and ftscomment', () => {
  const acc = new Accumulator();
  const first = decodeEvent(raw('acc id=7 user=alice ip='), { partitions: 1, now, decoders: set, accumulator: acc });
  const second = decodeEvent(raw('acc id=7 user= ip=10.0.0.1'), { partitions: 1, now, decoders: set, accumulator: acc });
  assert.deepEqual(first.decoder, { name: 'acc', type: 'firewall', ftscomment: 'first time', accumulate: true, fts: 'acc alice' });
  assert.deepEqual(second.data, { id: '7', srcuser: 'alice', srcip: '10.0.0.1' });
  const later = decodeEvent(raw('acc id=7 user= ip='), { partitions: 1, now: new Date(now.getTime() + 200_000), decoders: set, accumulator: acc });
  assert.deepEqual(later.data, { id: '7', srcuser: '' }, 'entries expire after 120 s (an empty last group is not captured)');
});

test('decodeEvent without decoders runs pre-decoding only; a fim payload that is no FIM event gets no decoder', () => {
  const e = decodeEvent(raw('Dec 10 01:02:03 web01 sshd[1]: hi'), { partitions: 1, now });
  assert.equal(e.decoder, undefined);
  assert.deepEqual(e.data, {});
  const fim = decodeEvent(raw('', { kind: 'fim', log: undefined, payload: { path: '/etc/passwd' } }), { partitions: 1, now, decoders: set });
  assert.equal(fim.decoder, undefined);
  assert.equal(fim.full_log, '{"path":"/etc/passwd"}');
});

test('FIM events get Wazuh built-in decoding: syscheck_* owner of type ossec and the fields rules read (agent JSON)', () => {
  const payload = {
    type: 'event',
    data: {
      path: '/etc/passwd',
      mode: 'whodata',
      type: 'modified',
      changed_attributes: ['size', 'md5'],
      attributes: { type: 'file', size: 20, hash_md5: 'bbb', user_name: 'root' },
      old_attributes: { type: 'file', size: 10, hash_md5: 'aaa', user_name: 'root' },
      audit: { user_name: 'alice', process_name: '/usr/bin/vi' },
    },
  };
  const e = decodeEvent(raw('', { kind: 'fim', location: 'syscheck', log: undefined, payload }), { partitions: 1, now, decoders: set });
  assert.deepEqual(e.decoder, { name: 'syscheck_integrity_changed', type: 'ossec' });
  assert.deepEqual(e.data, {
    file: '/etc/passwd',
    size: '20',
    size_before: '10',
    md5: 'bbb',
    md5_before: 'aaa',
    uname: 'root',
    uname_before: 'root',
    changed_fields: 'size,md5',
    mode: 'whodata',
    event_type: 'modified',
    entry_type: 'file',
    user_name: 'alice',
    process_name: '/usr/bin/vi',
  });
  const reg = decodeEvent(raw('', { kind: 'fim', log: undefined, payload: { type: 'event', data: { path: 'HKLM\\x', type: 'added', attributes: { type: 'registry_key' } } } }), { partitions: 1, now });
  assert.equal(reg.decoder?.name, 'syscheck_registry_key_added');
  const scan = decodeEvent(raw('', { kind: 'fim', log: undefined, payload: { type: 'scan_start', data: {} } }), { partitions: 1, now });
  assert.equal(scan.decoder, undefined);
});

test("FIM events from Vigil's collector (alert-shaped syscheck payload) decode the same way, with their text as full_log", () => {
  const payload = {
    syscheck: { path: '/etc/shadow', mode: 'realtime', size_after: '5', md5_after: 'm', changed_attributes: ['size'], event: 'added', tags: ['a', 'b'], audit: { user: { name: 'bob' }, process: { name: 'sh', ppid: '1' } } },
    full_log: "File '/etc/shadow' added\nMode: realtime\n",
  };
  const e = decodeEvent(raw('', { kind: 'fim', log: undefined, payload }), { partitions: 1, now });
  assert.deepEqual(e.decoder, { name: 'syscheck_new_entry', type: 'ossec' });
  assert.deepEqual(e.data, { file: '/etc/shadow', size: '5', md5: 'm', changed_fields: 'size', tag: 'a,b', mode: 'realtime', event_type: 'added', user_name: 'bob', process_name: 'sh', ppid: '1' });
  assert.equal(e.full_log, "File '/etc/shadow' added\nMode: realtime\n");
});

test('SCA events: owner sca of type ossec, payload keys as dotted fields', () => {
  const payload = { sca: { type: 'check', check: { id: '1', result: 'failed', compliance: { cis: '5.2.4' }, file: ['/etc/ssh/sshd_config'] } } };
  const e = decodeEvent(raw('', { kind: 'sca', location: 'sca', log: undefined, payload }), { partitions: 1, now });
  assert.deepEqual(e.decoder, { name: 'sca', type: 'ossec' });
  assert.deepEqual(e.data, {
    'sca.type': 'check',
    'sca.check.id': '1',
    'sca.check.result': 'failed',
    'sca.check.compliance.cis': '5.2.4',
    'sca.check.file': '["/etc/ssh/sshd_config"]',
  });
});

test("decodeEvent: an audit event's records go through the decoders, without syslog pre-decoding", () => {
  const audit = loadDecoders([{ file: 'audit.xml', text: '<decoder name="auditd"><prematch>^type=\\S+ msg=audit</prematch><regex> comm="(\\S+)"</regex><order>audit.comm</order></decoder>' }]).set;
  const line = 'type=SYSCALL msg=audit(1767700000.250:90210): arch=c000003e syscall=59 success=yes exit=0 pid=31337 comm="bash" exe="/usr/bin/bash"';
  const e = decodeEvent(raw(line, { kind: 'audit', location: 'audit' }), { partitions: 1, now, decoders: audit });
  assert.deepEqual({ decoder: e.decoder, data: e.data, predecoder: e.predecoder }, { decoder: { name: 'auditd', type: 'syslog' }, data: { 'audit.comm': 'bash' }, predecoder: {} });
});

test('inventory events pass through: owner syscollector of type ossec, scalar fields and counts, a one-line full_log, the payload whole', () => {
  const packages = Array.from({ length: 1000 }, (_, i) => ({ name: `libgpg-error${i}`, version: `1.${i}-1`, arch: 'amd64' }));
  const inventory = {
    scope: 'container',
    type: 'delta',
    collectedAt: '2026-01-01T00:00:00.000Z',
    os: { id: 'debian', versionId: '12', codename: 'bookworm' },
    container: { id: 'a'.repeat(64), image: 'docker.io/library/nginx:1.25', pod: 'web-1', namespace: 'shop' },
    format: 'deb',
    packages,
    removed: [{ name: 'curl', version: '7.88.1-10' }],
    inventoryId: 'inv-1',
    part: 1,
    parts: 2,
  };
  validators.inventory.assert(inventory);
  const e = decodeEvent(raw('', { kind: 'inventory', location: 'syscollector', log: undefined, payload: { inventory } }), { partitions: 4, now, decoders: set });
  validators.decodedEvent.assert(e);
  assert.deepEqual(e.decoder, { name: 'syscollector', type: 'ossec' });
  assert.deepEqual(e.data, {
    'inventory.scope': 'container',
    'inventory.type': 'delta',
    'inventory.collectedAt': '2026-01-01T00:00:00.000Z',
    'inventory.os.id': 'debian',
    'inventory.os.versionId': '12',
    'inventory.os.codename': 'bookworm',
    'inventory.container.id': 'a'.repeat(64),
    'inventory.container.image': 'docker.io/library/nginx:1.25',
    'inventory.container.pod': 'web-1',
    'inventory.container.namespace': 'shop',
    'inventory.format': 'deb',
    'inventory.packages': '1000',
    'inventory.removed': '1',
    'inventory.inventoryId': 'inv-1',
    'inventory.part': '1',
    'inventory.parts': '2',
  });
  assert.equal(e.full_log, `Inventory (delta) of container aaaaaaaaaaaa (docker.io/library/nginx:1.25) of pod shop/web-1: debian 12, deb: 1000 installed or upgraded, 1 removed (part 1 of 2)`);
  assert.equal(e.log, e.full_log);
  assert.equal(e.truncated, undefined);
  assert.deepEqual(e.payload, { inventory });
  const host = decodeEvent(raw('', { kind: 'inventory', location: 'syscollector', log: undefined, payload: { inventory: { ...inventory, scope: 'host', type: 'full', container: undefined, removed: undefined, part: undefined, parts: undefined } } }), { partitions: 4, now });
  assert.equal(host.full_log, 'Inventory (full) of host: debian 12, deb: 1000 packages');
  // A payload without an inventory object gets no decoder, as other kinds do.
  assert.equal(decodeEvent(raw('', { kind: 'inventory', log: undefined, payload: { other: 1 } }), { partitions: 4, now }).decoder, undefined);
});
