import { setStatic, type DecodedFields } from '../decoded-fields.ts';

/** What OSSECAlert_Decoder takes out of a forwarded alert besides fields. */
export interface OssecAlertInfo {
  /** The id of the rule that generated the forwarded alert (the rule engine points the event back at it). */
  ruleId: string;
  /** The alert's own location, appended to the event's location as `<location>|<alert location>`. */
  location: string;
  /** The forwarded alert's own log line: the new full_log and log. */
  log: string;
}

/**
 * OSSECAlert_Decoder: `Alert Level: 3; Rule: 5715 - desc; Location: (h) 1.2.3.4->/var/log/secure; srcip: 1.2.3.4;
 * user: root;  <original log>` gives srcip, dstuser, the rule id, the alert's location and its log line.
 */
export function decodeOssecAlert(log: string, fields: DecodedFields): OssecAlertInfo | undefined {
  if (!log.startsWith('Alert Level: ')) return undefined;
  let p = log.indexOf(';');
  if (p === -1) return undefined;
  p = log.indexOf(':', p + 1);
  if (p === -1 || log[p + 1] !== ' ') return undefined;
  const idStart = p + 2;
  const idEnd = log.indexOf(' ', idStart);
  if (idEnd === -1) return undefined;
  const ruleId = log.slice(idStart, idEnd);
  p = log.indexOf(';', idEnd);
  if (p === -1 || !log.startsWith(' Location: ', p + 1)) return undefined;
  const locStart = p + 12;
  const locEnd = log.indexOf(';', locStart);
  if (locEnd === -1) return undefined;
  const location = log.slice(locStart, locEnd);
  let t = locEnd + 1;
  while (log[t] === ' ' && log[t + 1] !== ' ') {
    const valStart = t + 1;
    const semi = log.indexOf(';', valStart);
    if (semi === -1) return undefined;
    const val = log.slice(valStart, semi);
    if (val.startsWith('srcip: ')) setStatic(fields, 'srcip', val.slice(7));
    if (val.startsWith('user: ')) setStatic(fields, 'dstuser', val.slice(6));
    t = semi + 1;
  }
  while (log[t] === ' ') t++;
  return { ruleId, location, log: log.slice(t) };
}
