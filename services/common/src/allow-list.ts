import ipaddr from 'ipaddr.js';

/**
 * Addresses and users that active response never acts on. Loopback (127.0.0.0/8, ::1), unspecified addresses and
 * root are always in it; the configured CIDRs (pod and service networks, admin networks) and the node's own
 * addresses are added by whoever builds it. Used by the responder (before sending) and again by the collector
 * (before executing), so a forged command cannot reach an allow-listed target either.
 */
export interface AllowList {
  readonly networks: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  readonly users: ReadonlySet<string>;
}

const ALWAYS_NETWORKS = ['127.0.0.0/8', '::1/128', '0.0.0.0/32', '::/128'];
const ALWAYS_USERS = ['root'];

export class AllowListError extends Error {
  constructor(readonly entry: string) {
    super(`allow-list entry '${entry}' is not an IPv4/IPv6 address or CIDR`);
    this.name = 'AllowListError';
  }
}

function parseNetwork(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  try {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const addr = ipaddr.parse(entry);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    throw new AllowListError(entry);
  }
}

/** Builds an allow-list; throws AllowListError naming an entry that is not an address or CIDR. */
export function buildAllowList(addresses: readonly string[], users: readonly string[]): AllowList {
  return {
    networks: [...ALWAYS_NETWORKS, ...addresses].map(parseNetwork),
    users: new Set([...ALWAYS_USERS, ...users]),
  };
}

/** A canonical form of an address (IPv4-mapped IPv6 as IPv4), or undefined when it is not one. */
export function canonicalAddress(text: string): string | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const addr = ipaddr.process(text);
  return addr.toString();
}

export function isAllowedAddress(list: AllowList, address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const addr = ipaddr.process(address);
  return list.networks.some(([net, bits]) => net.kind() === addr.kind() && addr.match([net, bits] as never));
}

export function isAllowedUser(list: AllowList, user: string): boolean {
  return list.users.has(user);
}
