import { setStatic, type DecodedFields } from '../decoded-fields.ts';

/**
 * SymantecWS_Decoder (Symantec Web Security): `20070717,73614,1=5,11=1.2.3.4,60=http://x/,10=userX,2=27` gives dstuser
 * (10=), srcip (11=), url (60=) and id (the `3=`/`2=` entry itself, up to 9 characters); the first of each wins.
 */
export function decodeSymantecWs(log: string, fields: DecodedFields): void {
  let p = log.indexOf(',');
  if (p === -1) return;
  // As in C, the second search starts at the first comma itself, so only the date is skipped.
  p = log.indexOf(',', p);
  let pos: number = p + 1;
  const valueAt = (start: number, max: number): string => {
    let end = start;
    while (end < log.length && end - start < max && log[end] !== ',') end++;
    return log.slice(start, end);
  };
  const first = (name: string, value: string) => {
    if (fields[name] === undefined) setStatic(fields, name, value);
  };
  while (pos !== -1 && pos <= log.length) {
    if (log.startsWith('10=', pos)) first('dstuser', valueAt(pos + 3, 128));
    else if (log.startsWith('11=', pos)) first('srcip', valueAt(pos + 3, 128));
    else if (log.startsWith('60=', pos)) first('url', valueAt(pos + 3, 1024));
    else if (log.startsWith('3=', pos) || log.startsWith('2=', pos)) first('id', log.slice(pos, pos + 9));
    const next = log.indexOf(',', pos);
    pos = next === -1 ? -1 : next + 1;
  }
}
