import type { DecodedFields } from './decoded-fields.ts';

const FTS_FIELDS: Record<string, (f: DecodedFields, location: string) => string | undefined> = {
  user: (f) => f['dstuser'],
  dstuser: (f) => f['dstuser'],
  srcuser: (f) => f['srcuser'],
  srcip: (f) => f['srcip'],
  dstip: (f) => f['dstip'],
  id: (f) => f['id'],
  location: (_f, location) => location,
  data: (f) => f['data'],
  extra_data: (f) => f['extra_data'],
  system_name: (f) => f['system_name'],
};

/**
 * The first-time-seen key of an event (`<fts>` of its owner decoder): the decoder name followed by the value of
 * each listed field, space-separated (`name` stands for the decoder name itself).
 */
export function ftsKey(decoderName: string, fts: readonly string[], fields: DecodedFields, location: string): string {
  const parts = [decoderName];
  for (const f of fts) {
    if (f === 'name') continue;
    const get = FTS_FIELDS[f];
    parts.push((get ? get(fields, location) : fields[f]) ?? '');
  }
  return parts.join(' ');
}
