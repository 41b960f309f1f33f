/** Command lines of the firewall-drop response (argv, never a shell). Pure. */

export type Family = 'ipv4' | 'ipv6';

export function familyOf(address: string): Family {
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

const setOf = (family: Family) => (family === 'ipv4' ? 'blocked4' : 'blocked6');

/** The nftables ruleset: an inet table, two timeout sets, one input chain dropping their sources (early: priority -10). */
export function nftSetupScript(table: string): string {
  return [
    `table inet ${table} {`,
    `  set blocked4 { type ipv4_addr; flags timeout; }`,
    `  set blocked6 { type ipv6_addr; flags timeout; }`,
    `  chain input {`,
    `    type filter hook input priority -10; policy accept;`,
    `    ip saddr @blocked4 drop`,
    `    ip6 saddr @blocked6 drop`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

export function nftListChain(table: string): string[] {
  return ['nft', 'list', 'chain', 'inet', table, 'input'];
}

/** Adds the address with a per-element timeout (the kernel removes it on time even if the collector is gone). */
export function nftAddElement(table: string, address: string, timeoutSeconds: number): string[] {
  const element = timeoutSeconds > 0 ? `${address} timeout ${timeoutSeconds}s` : address;
  return ['nft', 'add', 'element', 'inet', table, setOf(familyOf(address)), `{ ${element} }`];
}

export function nftDeleteElement(table: string, address: string): string[] {
  return ['nft', 'delete', 'element', 'inet', table, setOf(familyOf(address)), `{ ${address} }`];
}

export function nftListSet(table: string, address: string): string[] {
  return ['nft', 'list', 'set', 'inet', table, setOf(familyOf(address))];
}

/** iptables (or ip6tables) check/insert/delete of a DROP rule for the address in INPUT. */
export function iptablesRule(op: '-C' | '-I' | '-D', address: string): string[] {
  return [familyOf(address) === 'ipv4' ? 'iptables' : 'ip6tables', op, 'INPUT', '-s', address, '-j', 'DROP'];
}

/** nft's answer when an element to delete is no longer there (its timeout removed it). */
export function isAbsentElementError(stderr: string): boolean {
  return /No such file or directory|does not exist/i.test(stderr);
}
