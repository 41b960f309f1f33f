/** host-deny edits of /etc/hosts.deny text (TCP wrappers): one `ALL: <address>` line per address. Pure. */

export function hostsDenyLine(address: string): string {
  return `ALL: ${address}`;
}

export function addHostsDeny(text: string, address: string): string {
  const line = hostsDenyLine(address);
  const lines = text.split('\n');
  if (lines.includes(line)) return text;
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${base}${line}\n`;
}

export function removeHostsDeny(text: string, address: string): string {
  const line = hostsDenyLine(address);
  return text
    .split('\n')
    .filter((l) => l !== line)
    .join('\n');
}
