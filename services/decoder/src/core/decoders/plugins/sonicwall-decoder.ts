import { OsRegex } from '@vigil/wazuh-format';
import { setStatic, type DecodedFields } from '../decoded-fields.ts';
import type { DecoderType } from '../decoder-types.ts';

const PRIORITY = OsRegex.compile('pri=(\\d) c=(\\d+) m=(\\d+) ', { captures: true });
const ADDRESSES = OsRegex.compile('src=(\\d+.\\d+.\\d+.\\d+):(\\d+):\\S+ dst=(\\d+.\\d+.\\d+.\\d+):(\\d+):', { captures: true });
const PROXY = OsRegex.compile('result=(\\d+) dstname=(\\S+) arg=(\\S+)$', { captures: true });
const VALID = /[A-Za-z0-9\-._/@()]/;

/**
 * SonicWall_Decoder: `pri=6 c=262144 m=98 ... src=2.2.2.2:36701:WAN dst=1.1.1.1:50000:WAN proto=tcp/50000` gives
 * status (pri), id (m), srcip/srcport, dstip/dstport, protocol, and from the message id an action and the event
 * type it returns (ids, firewall, squid; syslog otherwise). Proxy messages (m=97) also give the HTTP status as id
 * and url.
 */
export function decodeSonicWall(log: string, fields: DecodedFields): DecoderType {
  const pri = PRIORITY.exec(log);
  if (!pri || pri.captures.length < 3) return 'syslog';
  const [status, category, id] = pri.captures as [string, string, string];
  setStatic(fields, 'status', status);
  setStatic(fields, 'id', id);
  const addr = ADDRESSES.exec(log, pri.end);
  if (!addr || addr.captures.length < 4) return 'syslog';
  const [srcip, srcport, dstip, dstport] = addr.captures as [string, string, string, string];
  setStatic(fields, 'srcip', srcip);
  setStatic(fields, 'srcport', srcport);
  setStatic(fields, 'dstip', dstip);
  setStatic(fields, 'dstport', dstport);
  const space = log.indexOf(' ', addr.end);
  const rest = space === -1 ? -1 : space + 1;
  if (rest !== -1 && log.startsWith('proto=', rest)) {
    let p = rest + 6;
    let proto = '';
    while (p < log.length && VALID.test(log[p] as string) && log[p] !== '/' && proto.length < 6) proto += log[p++];
    setStatic(fields, 'protocol', proto);
  }
  const cat = category.slice(0, 7);
  if (cat === '32') return 'ids';
  if (['98', '597', '598'].includes(id)) {
    setStatic(fields, 'action', 'pass');
    return 'firewall';
  }
  if (['38', '36', '173', '174', '37'].includes(id)) {
    setStatic(fields, 'action', 'drop');
    return 'firewall';
  }
  if (id === '537') {
    setStatic(fields, 'action', 'close');
    return 'firewall';
  }
  if (id === '97') {
    if (rest === -1) return 'squid';
    const proxy = PROXY.exec(log, rest);
    if (!proxy || proxy.captures[0] === undefined) return 'squid';
    setStatic(fields, 'id', proxy.captures[0]);
    if (proxy.captures[1] !== undefined && proxy.captures[2] !== undefined) setStatic(fields, 'url', proxy.captures[1] + proxy.captures[2]);
    return 'squid';
  }
  return 'syslog';
}
