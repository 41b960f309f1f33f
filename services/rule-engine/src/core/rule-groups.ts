/** Compliance prefixes of group tokens, in the order Wazuh checks them, with the alert key each goes to. */
const COMPLIANCE_PREFIXES = [
  ['pci_dss_', 'pci_dss'],
  ['cis_', 'cis'],
  ['gdpr_', 'gdpr'],
  ['gpg13_', 'gpg13'],
  ['hipaa_', 'hipaa'],
  ['nist_800_53_', 'nist_800_53'],
  ['tsc_', 'tsc'],
] as const;

/**
 * Splits a rule's group string (or its tokens) into plain groups and compliance arrays, as Wazuh does: split on
 * `,`, empty tokens dropped, spaces kept; a compliance token goes only into its array, prefix stripped; arrays in
 * the order their prefix is first met.
 */
export function splitGroups(input: string | readonly string[]): { groups: string[]; compliance: Array<[string, string[]]> } {
  const tokens = typeof input === 'string' ? input.slice(0, 1023).split(',') : input;
  const groups: string[] = [];
  const compliance: Array<[string, string[]]> = [];
  for (const token of tokens) {
    if (token === '') continue;
    const prefix = COMPLIANCE_PREFIXES.find(([p]) => token.startsWith(p));
    if (!prefix) {
      groups.push(token);
      continue;
    }
    let entry = compliance.find((c) => c[0] === prefix[1]);
    if (!entry) {
      entry = [prefix[1], []];
      compliance.push(entry);
    }
    entry[1].push(token.slice(prefix[0].length));
  }
  return { groups, compliance };
}
