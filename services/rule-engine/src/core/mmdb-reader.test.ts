import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geoLabel, lookupMmdb, openMmdb } from './mmdb-reader.ts';

/** MaxMind DB encoding of a few value types, enough to build a test database in code. */
function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [(2 << 5) | b.length, ...b];
}
const map = (entries: Array<[string, number[]]>): number[] => [(7 << 5) | entries.length, ...entries.flatMap(([k, v]) => [...str(k), ...v])];
const arr = (items: number[][]): number[] => [items.length, 11 - 7, ...items.flat()];
const u16 = (n: number): number[] => [(5 << 5) | 2, n >> 8, n & 255];
const u32 = (n: number): number[] => [(6 << 5) | 4, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];

/** An IPv4 database (record size 24) with one /24 network. */
function database(prefix: string, record: number[]): Uint8Array {
  const octets = prefix.split('.').map(Number);
  const bits = octets.slice(0, 3).flatMap((o) => Array.from({ length: 8 }, (_, i) => ((o as number) >> (7 - i)) & 1));
  const nodeCount = 24;
  const tree: number[] = [];
  const rec = (v: number) => [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  bits.forEach((bit, i) => {
    const next = i < 23 ? i + 1 : nodeCount + 16; // the last bit points at the data (offset 0)
    const left = bit === 0 ? next : nodeCount;
    const right = bit === 1 ? next : nodeCount;
    tree.push(...rec(left), ...rec(right));
  });
  const marker = [0xab, 0xcd, 0xef, ...Array.from('MaxMind.com', (c) => c.charCodeAt(0))];
  const meta = map([['node_count', u32(nodeCount)], ['record_size', u16(24)], ['ip_version', u16(4)]]);
  return new Uint8Array([...tree, ...new Array(16).fill(0), ...record, ...marker, ...meta]);
}

test('MaxMind DB lookups give Wazuh\'s "CC / Region"', () => {
  const record = map([
    ['country', map([['iso_code', str('CF')]])],
    ['subdivisions', arr([map([['names', map([['en', str('Haut-Mbomou')]])]])])],
  ]);
  const db = openMmdb(database('41.78.120.0', record));
  assert.deepEqual(lookupMmdb(db, '41.78.120.9'), { country: { iso_code: 'CF' }, subdivisions: [{ names: { en: 'Haut-Mbomou' } }] });
  assert.equal(geoLabel(db, '41.78.120.9'), 'CF / Haut-Mbomou');
  assert.equal(geoLabel(db, '41.78.121.9'), undefined);
  assert.equal(geoLabel(db, 'not an ip'), undefined);
  assert.throws(() => openMmdb(new Uint8Array([1, 2, 3])), /not a MaxMind DB/);
});

test('MaxMind DB lookups accept only full dotted-quad IPv4 text on an IPv4 database', () => {
  const record = map([['country', map([['iso_code', str('CF')]])]]);
  const db = openMmdb(database('41.78.120.0', record));
  assert.equal(geoLabel(db, '41.78.120.200'), 'CF');
  assert.equal(geoLabel(db, '41.78.120.256'), undefined);
  assert.equal(geoLabel(db, '41.78.120'), undefined);
  assert.equal(geoLabel(db, '::1'), undefined);
});
