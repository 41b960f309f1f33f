/**
 * A reader for MaxMind DB files (GeoLite2-City / GeoIP2-City, format 2.x): binary search tree over the address bits,
 * then a data section of typed values. Pure: works on the file's bytes, which the adapter reads.
 * `geoLabel` gives what Wazuh puts in srcgeoip/dstgeoip: `<country ISO code> / <first subdivision name>`.
 */
const METADATA_MARKER = [0xab, 0xcd, 0xef, ...Array.from('MaxMind.com', (c) => c.charCodeAt(0))];

export interface MmdbDatabase {
  nodeCount: number;
  recordSize: number;
  ipVersion: number;
  bytes: Uint8Array;
  dataStart: number;
  /** Node where IPv4 addresses start in an IPv6 tree (after 96 zero bits). */
  ipv4Start: number;
}

function findMetadata(bytes: Uint8Array): number {
  outer: for (let i = bytes.length - METADATA_MARKER.length; i >= Math.max(0, bytes.length - 128 * 1024); i--) {
    for (let k = 0; k < METADATA_MARKER.length; k++) if (bytes[i + k] !== METADATA_MARKER[k]) continue outer;
    return i + METADATA_MARKER.length;
  }
  throw new Error('not a MaxMind DB file (no metadata marker)');
}

function uint(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + (bytes[at + i] as number);
  return v;
}

/** Decodes the value at `at` of a data section starting at `base`; returns it and the offset after it. */
function decode(bytes: Uint8Array, base: number, at: number): [unknown, number] {
  const ctrl = bytes[at++] as number;
  let type = ctrl >> 5;
  if (type === 1) {
    const ss = (ctrl >> 3) & 3;
    const vvv = ctrl & 7;
    let p: number;
    if (ss === 0) p = vvv * 256 + uint(bytes, at, 1);
    else if (ss === 1) p = vvv * 65536 + uint(bytes, at, 2) + 2048;
    else if (ss === 2) p = vvv * 16777216 + uint(bytes, at, 3) + 526336;
    else p = uint(bytes, at, 4);
    return [decode(bytes, base, base + p)[0], at + ss + 1];
  }
  if (type === 0) type = 7 + (bytes[at++] as number);
  let size = ctrl & 0x1f;
  if (size === 29) size = 29 + uint(bytes, at++, 1);
  else if (size === 30) (size = 285 + uint(bytes, at, 2)), (at += 2);
  else if (size === 31) (size = 65821 + uint(bytes, at, 3)), (at += 3);
  switch (type) {
    case 2: return [new TextDecoder().decode(bytes.subarray(at, at + size)), at + size];
    case 3: return [new DataView(bytes.buffer, bytes.byteOffset + at, 8).getFloat64(0), at + size];
    case 4: return [bytes.subarray(at, at + size), at + size];
    case 5: case 6: case 9: case 10: return [uint(bytes, at, size), at + size];
    case 8: return [new DataView(bytes.buffer, bytes.byteOffset + at - (4 - size), 4).getInt32(0), at + size];
    case 7: {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < size; i++) {
        const [k, a1] = decode(bytes, base, at);
        const [v, a2] = decode(bytes, base, a1);
        out[String(k)] = v;
        at = a2;
      }
      return [out, at];
    }
    case 11: {
      const out: unknown[] = [];
      for (let i = 0; i < size; i++) {
        const [v, a] = decode(bytes, base, at);
        out.push(v);
        at = a;
      }
      return [out, at];
    }
    case 14: return [size !== 0, at];
    case 15: return [new DataView(bytes.buffer, bytes.byteOffset + at, 4).getFloat32(0), at + size];
    default: return [undefined, at + size];
  }
}

function record(db: MmdbDatabase, node: number, bit: number): number {
  const b = db.bytes;
  if (db.recordSize === 24) return uint(b, node * 6 + bit * 3, 3);
  if (db.recordSize === 32) return uint(b, node * 8 + bit * 4, 4);
  const at = node * 7;
  const middle = b[at + 3] as number;
  return bit === 0 ? (middle >> 4) * 16777216 + uint(b, at, 3) : (middle & 0x0f) * 16777216 + uint(b, at + 4, 3);
}

export function openMmdb(bytes: Uint8Array): MmdbDatabase {
  const metaAt = findMetadata(bytes);
  const meta = decode(bytes, metaAt, metaAt)[0] as Record<string, unknown>;
  const nodeCount = Number(meta['node_count']);
  const recordSize = Number(meta['record_size']);
  const ipVersion = Number(meta['ip_version']);
  if (![24, 28, 32].includes(recordSize) || !Number.isInteger(nodeCount)) throw new Error('unsupported MaxMind DB metadata');
  const db: MmdbDatabase = { nodeCount, recordSize, ipVersion, bytes, dataStart: (nodeCount * recordSize * 2) / 8 + 16, ipv4Start: 0 };
  if (ipVersion === 6) {
    let node = 0;
    for (let i = 0; i < 96 && node < nodeCount; i++) node = record(db, node, 0);
    db.ipv4Start = node;
  }
  return db;
}

function addressBits(ip: string): { bits: number[]; v6: boolean } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const bits: number[] = [];
    for (let k = 1; k <= 4; k++) {
      const n = Number(v4[k]);
      if (n > 255) return undefined;
      for (let i = 7; i >= 0; i--) bits.push((n >> i) & 1);
    }
    return { bits, v6: false };
  }
  return undefined;
}

/** The record of an IPv4 address, or undefined. */
export function lookupMmdb(db: MmdbDatabase, ip: string): unknown {
  const a = addressBits(ip);
  if (!a) return undefined;
  let node = db.ipVersion === 6 ? db.ipv4Start : 0;
  for (const bit of a.bits) {
    if (node >= db.nodeCount) break;
    node = record(db, node, bit);
  }
  if (node <= db.nodeCount) return undefined;
  const offset = db.dataStart + (node - db.nodeCount - 16);
  return decode(db.bytes, db.dataStart, offset)[0];
}

/** Wazuh's srcgeoip/dstgeoip text for an address: `CC / Region` (or `CC` alone), undefined when unknown. */
export function geoLabel(db: MmdbDatabase, ip: string): string | undefined {
  const r = lookupMmdb(db, ip) as { country?: { iso_code?: string }; subdivisions?: Array<{ names?: { en?: string } }> } | undefined;
  const cc = r?.country?.iso_code;
  if (!cc) return undefined;
  const region = r?.subdivisions?.[0]?.names?.en;
  return region ? `${cc} / ${region}` : cc;
}
