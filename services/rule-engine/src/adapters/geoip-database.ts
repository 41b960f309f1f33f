import { readFileSync } from 'node:fs';
import { VigilError } from '@vigil/common';
import { geoLabel, openMmdb } from '../core/mmdb-reader.ts';

/** Opens a GeoLite2/GeoIP2 City database (`.mmdb`) and returns Wazuh's srcgeoip/dstgeoip lookup (`CC / Region`). */
export function openGeoIpDatabase(path: string): (ip: string) => string | undefined {
  try {
    const db = openMmdb(readFileSync(path));
    return (ip) => geoLabel(db, ip);
  } catch (cause) {
    throw new VigilError('CONFIG_INVALID', `ruleEngine.geoipDatabase: ${path}: ${(cause as Error).message}`, { cause });
  }
}
