/**
 * MaxMind DB lookups (GeoLite2-City / GeoIP2-City) through `mmdb-lib`. Pure: works on the file's bytes, which the
 * adapter reads. `geoLabel` gives what Wazuh puts in srcgeoip/dstgeoip: `<country ISO code> / <first subdivision name>`.
 */
import { Reader, type Response } from 'mmdb-lib';
import ipaddr from 'ipaddr.js';

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

export interface MmdbDatabase {
  reader: Reader<Response>;
}

export function openMmdb(bytes: Uint8Array): MmdbDatabase {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // mmdb-lib reads garbage as metadata when the marker is absent; say plainly what is wrong instead.
  if (buf.lastIndexOf(METADATA_MARKER) < 0) throw new Error('not a MaxMind DB file (no metadata marker)');
  return { reader: new Reader<Response>(buf) };
}

/** The record of an address, or undefined (also for text that is not an address). */
export function lookupMmdb(db: MmdbDatabase, ip: string): unknown {
  if (!ipaddr.isValid(ip)) return undefined;
  if (db.reader.metadata.ipVersion === 4 && !ipaddr.IPv4.isValidFourPartDecimal(ip)) return undefined;
  return db.reader.get(ip) ?? undefined;
}

/** Wazuh's srcgeoip/dstgeoip text for an address: `CC / Region` (or `CC` alone), undefined when unknown. */
export function geoLabel(db: MmdbDatabase, ip: string): string | undefined {
  const r = lookupMmdb(db, ip) as { country?: { iso_code?: string }; subdivisions?: Array<{ names?: { en?: string } }> } | undefined;
  const cc = r?.country?.iso_code;
  if (!cc) return undefined;
  const region = r?.subdivisions?.[0]?.names?.en;
  return region ? `${cc} / ${region}` : cc;
}
