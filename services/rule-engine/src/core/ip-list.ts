import ipaddr from 'ipaddr.js';

/**
 * `<srcip>` / `<dstip>` lists: `a.b.c.d`, `a.b.c.d/NN`, `a.b.c.d/255.255.0.0`, IPv6 with an optional `/prefix` or
 * `/ffff:ffff::` mask, each with an optional leading `!`. Addresses are parsed by ipaddr.js: IPv4 only in four-part
 * decimal (as inet_pton takes it, not ipaddr's octal/hex/short forms), IPv6 in every RFC 4291 form, with an optional
 * zone id (`fe80::1%eth0`, ignored for matching). An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`, as a dual-stack
 * sshd logs it) is its IPv4 address, in the list and in the event.
 *
 * Evaluated as Wazuh does (ours, not the library's): an invalid event address is false; a `!` entry makes it and every
 * later entry negative; the first entry whose network holds the address gives the current polarity; no entry holding
 * it gives the inverse of the final polarity.
 */
type Network =
  | { v6: false; /** The network's bits (unsigned 32-bit) and its mask. */ net: number; mask: number; negative: boolean }
  | { v6: true; range: ipaddr.IPv6; prefix: number; negative: boolean };

export interface IpList {
  entries: Network[];
}

/** An address: IPv4 as its unsigned 32 bits (with the IPv6 form it was written in, when mapped), or IPv6. */
type Address = { v6: false; bits: number; mapped: ipaddr.IPv6 | undefined } | { v6: true; addr: ipaddr.IPv6 };

/** Dotted quad without leading zeros, the only IPv4 form Wazuh (inet_pton) accepts; ipaddr.js checks the ranges. */
const FOUR_PART_DECIMAL = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
/** The only characters of an IPv6 address (the zone id cut off). */
const IPV6_CHARACTERS = /^[0-9A-Fa-f:.]+$/;
/** A zone id is an interface name (`eth0`, `br-4f2a`, `veth1@if5`): ipaddr.js takes only [0-9a-z], so it is cut here. */
const ZONE_ID = /^[\w.@-]{1,64}$/;

function v4Bits(octets: readonly number[]): number {
  return (((octets[0] as number) << 24) | ((octets[1] as number) << 16) | ((octets[2] as number) << 8) | (octets[3] as number)) >>> 0;
}

function parseAddress(text: string): Address | undefined {
  if (!text.includes(':')) {
    if (!FOUR_PART_DECIMAL.test(text)) return undefined;
    try {
      return { v6: false, bits: v4Bits(ipaddr.IPv4.parse(text).octets), mapped: undefined };
    } catch {
      return undefined; // an octet over 255
    }
  }
  let body = text;
  const zone = text.indexOf('%');
  if (zone !== -1) {
    if (!ZONE_ID.test(text.slice(zone + 1))) return undefined;
    body = text.slice(0, zone);
  }
  // Values such as `host:443` or `10.1.2.3:22` are common in events, and an exception per event made them 25×
  // slower than the old parser: a character check, then ipaddr's non-throwing syntax check (isIPv6), turn them
  // away first. parse then throws only for a group of more than four hex digits.
  if (!IPV6_CHARACTERS.test(body) || !ipaddr.IPv6.isIPv6(body)) return undefined;
  let addr: ipaddr.IPv6;
  try {
    addr = ipaddr.IPv6.parse(body);
  } catch {
    return undefined;
  }
  if (addr.isIPv4MappedAddress()) return { v6: false, bits: v4Bits(addr.toIPv4Address().octets), mapped: addr };
  return { v6: true, addr };
}

/** A netmask as a prefix length; undefined when it is not a contiguous mask of the address's family. */
function maskPrefix(mask: string, v6: boolean): number | undefined {
  try {
    const parsed = v6 ? ipaddr.IPv6.parse(mask) : FOUR_PART_DECIMAL.test(mask) ? ipaddr.IPv4.parse(mask) : undefined;
    return parsed?.prefixLengthFromSubnetMask() ?? undefined;
  } catch {
    return undefined;
  }
}

const v4Mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses one entry; returns an error message when it is not an address or network. */
function parseEntry(raw: string, negativeSoFar: boolean): Network | string {
  let text = raw.trim();
  let negative = negativeSoFar;
  if (text.startsWith('!')) {
    negative = true;
    text = text.slice(1).trim();
  }
  const [addrText, prefixText, extra] = text.split('/') as [string, string | undefined, string | undefined];
  const addr = parseAddress(addrText);
  if (!addr || extra !== undefined) return `'${raw}' is not an IP address or network`;
  // A mapped address is written in IPv6 terms: its prefix counts the 96 bits of ::ffff:0:0/96.
  const v6Syntax = addr.v6 || addr.mapped !== undefined;
  const width = v6Syntax ? 128 : 32;
  let prefix = width;
  if (prefixText !== undefined) {
    if (/^\d+$/.test(prefixText)) prefix = Number(prefixText);
    else {
      const p = maskPrefix(prefixText, v6Syntax);
      if (p === undefined) return `'${raw}' has an invalid netmask`;
      prefix = p;
    }
    if (prefix > width) return `'${raw}' has an invalid prefix`;
  }
  if (addr.v6) return { v6: true, range: addr.addr, prefix, negative };
  // Wider than the mapped range: an IPv6 network, which mapped event addresses (taken as IPv4) do not fall in.
  if (addr.mapped !== undefined && prefix < 96) return { v6: true, range: addr.mapped, prefix, negative };
  const v4Prefix = addr.mapped !== undefined ? prefix - 96 : prefix;
  const mask = v4Mask(v4Prefix);
  return { v6: false, net: (addr.bits & mask) >>> 0, mask, negative };
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

/**
 * Whether an address matches the list, before the element's `negate`; undefined when it is not a valid address.
 * On the rule-engine hot path. Measured against the hand-written BigInt parser it replaced (one run each, old and new
 * alternating, 3 lists × 1000 event addresses): IPv4 only 1.28–1.37× faster; IPv6 only 0.96–1.01× (on par); a mix
 * (80% IPv4, 10% IPv6, 5% mapped, 5% invalid) 1.05–1.12×; non-addresses with `:` (`10.1.2.3:22`, `host:443`) 1.4–3.7×
 * faster thanks to the checks before parse (without them, 25× slower). So no fast path of our own is kept.
 */
export function matchIpList(list: IpList, ip: string): boolean | undefined {
  const addr = parseAddress(ip.trim());
  if (!addr) return undefined;
  let negative = false;
  for (const e of list.entries) {
    negative = e.negative;
    if (e.v6 !== addr.v6) continue;
    if (e.v6 ? (addr as { addr: ipaddr.IPv6 }).addr.match(e.range, e.prefix) : (((addr as { bits: number }).bits & e.mask) >>> 0) === e.net) return !negative;
  }
  return negative;
}
