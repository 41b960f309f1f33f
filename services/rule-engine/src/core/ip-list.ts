/**
 * `<srcip>` / `<dstip>` lists: `a.b.c.d`, `a.b.c.d/NN`, `a.b.c.d/255.255.0.0`, IPv6 with an optional `/prefix`,
 * each with an optional leading `!`. Evaluated as Wazuh does: an invalid event address is false; a `!` entry makes
 * it and every later entry negative; the first entry whose network holds the address gives the current polarity;
 * no entry holding it gives the inverse of the final polarity.
 */
interface Network {
  v6: boolean;
  /** Address bits as a bigint, and the prefix length. */
  addr: bigint;
  prefix: number;
  negative: boolean;
}

export interface IpList {
  entries: Network[];
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv4(text: string): boolean {
  return V4.test(text);
}

/** Hex groups separated by ':', at most one '::', optionally ending in an IPv4 address. */
function isIPv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail && !isIPv4(tail[1] as string)) return false;
  const body = tail ? `${text.slice(0, tail.index)}0:0` : text;
  const parts = body.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return parts.length === 2 ? groups.length < 8 : groups.length === 8;
}

function v4Bits(ip: string): bigint {
  let n = 0n;
  for (const part of ip.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

function v6Bits(ip: string): bigint {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4).
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = v4Bits(tail[1] as string);
    text = `${text.slice(0, tail.index)}${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined ? [] : rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? h : [...h, ...new Array(8 - h.length - r.length).fill('0'), ...r];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
  return n;
}

function parseAddress(text: string): { v6: boolean; bits: bigint } | undefined {
  if (isIPv4(text)) return { v6: false, bits: v4Bits(text) };
  if (isIPv6(text)) return { v6: true, bits: v6Bits(text) };
  return undefined;
}

function maskPrefix(mask: string): number | undefined {
  if (!isIPv4(mask)) return undefined;
  const bits = v4Bits(mask);
  let prefix = 0;
  for (let i = 31; i >= 0; i--) {
    if ((bits >> BigInt(i)) & 1n) prefix++;
    else break;
  }
  return prefix;
}

/** Parses one entry; returns an error message when it is not an address or network. */
function parseEntry(raw: string, negativeSoFar: boolean): Network | string {
  let text = raw.trim();
  let negative = negativeSoFar;
  if (text.startsWith('!')) {
    negative = true;
    text = text.slice(1).trim();
  }
  const [addrText, prefixText] = text.split('/') as [string, string | undefined];
  const addr = parseAddress(addrText);
  if (!addr) return `'${raw}' is not an IP address or network`;
  const width = addr.v6 ? 128 : 32;
  let prefix = width;
  if (prefixText !== undefined) {
    if (/^\d+$/.test(prefixText)) prefix = Number(prefixText);
    else {
      const p = addr.v6 ? undefined : maskPrefix(prefixText);
      if (p === undefined) return `'${raw}' has an invalid netmask`;
      prefix = p;
    }
    if (prefix > width) return `'${raw}' has an invalid prefix`;
  }
  return { v6: addr.v6, addr: addr.bits >> BigInt(width - prefix), prefix, negative };
}

/** Compiles the entries of one or more elements (repeats are ORed: they form one list). */
export function compileIpList(texts: readonly string[]): { list: IpList; errors: string[] } {
  const entries: Network[] = [];
  const errors: string[] = [];
  let negative = false;
  for (const text of texts) {
    for (const raw of text.split(/[,\s]+/).filter(Boolean)) {
      const e = parseEntry(raw, negative);
      if (typeof e === 'string') errors.push(e);
      else {
        negative = e.negative;
        entries.push(e);
      }
    }
  }
  return { list: { entries }, errors };
}

/** Whether an address matches the list, before the element's `negate`; undefined when it is not a valid address. */
export function matchIpList(list: IpList, ip: string): boolean | undefined {
  const addr = parseAddress(ip.trim());
  if (!addr) return undefined;
  let negative = false;
  for (const e of list.entries) {
    negative = e.negative;
    if (e.v6 !== addr.v6) continue;
    const width = e.v6 ? 128 : 32;
    if (addr.bits >> BigInt(width - e.prefix) === e.addr) return !negative;
  }
  return negative;
}
