import { setStatic, type DecodedFields } from '../decoded-fields.ts';

/** Splits `a.b.c.d.port` at its fourth dot: [ip, port?]. */
function ipAndPort(s: string): [string, string | undefined] {
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '.' && ++dots === 4) return [s.slice(0, i), s.slice(i + 1)];
  }
  return [s, undefined];
}

/**
 * PF_Decoder (OpenBSD pf via tcpdump): `... rule 2/(match) pass in on xl0: 1.2.3.4.6667 > 5.6.7.8.16290: P ...` gives
 * action, srcip, srcport, dstip, dstport and protocol. Fields found before a malformed part are kept, as in C.
 */
export function decodePf(log: string, fields: DecodedFields): void {
  let p = log.indexOf(')');
  if (p === -1 || log[p + 1] !== ' ') return;
  p += 2;
  if (log[p] === 'p') setStatic(fields, 'action', 'pass');
  else if (log[p] === 'b') setStatic(fields, 'action', 'block');
  else return;
  p = log.indexOf(':', p);
  if (p === -1 || log[p + 1] !== ' ') return;
  p += 2;
  const sp = log.indexOf(' ', p);
  if (sp === -1) return;
  const [srcip, srcport] = ipAndPort(log.slice(p, sp));
  setStatic(fields, 'srcip', srcip);
  if (srcport !== undefined) setStatic(fields, 'srcport', srcport);
  let a = sp + 1;
  if (log[a] !== '>' || log[a + 1] !== ' ') return;
  a += 2;
  const colon = log.indexOf(':', a);
  if (colon === -1) return;
  const [dstip, dstport] = ipAndPort(log.slice(a, colon));
  setStatic(fields, 'dstip', dstip);
  if (dstport !== undefined) setStatic(fields, 'dstport', dstport);
  let t = colon + 1;
  while (log[t] === ' ') t++;
  const c = log[t];
  if (c === undefined) return;
  setStatic(fields, 'protocol', c === 'u' ? 'UDP' : c === 'i' ? 'ICMP' : 'TCP');
}
