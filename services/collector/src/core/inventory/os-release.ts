import type { InventoryOs } from '@vigil/common';

/**
 * The OS named by an os-release file (`/etc/os-release`, else `/usr/lib/os-release`): `KEY=value` lines, values
 * maybe quoted with shell escapes. Without an ID the OS is `unknown` (os-release(5) says `linux`, which tells a
 * vulnerability feed nothing).
 */
export function parseOsRelease(text: string): Omit<InventoryOs, 'kernel'> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    values.set(m[1] as string, unquote((m[2] as string).trim()));
  }
  const os: Omit<InventoryOs, 'kernel'> = { id: values.get('ID') || 'unknown' };
  const versionId = values.get('VERSION_ID');
  if (versionId) os.versionId = versionId;
  const codename = values.get('VERSION_CODENAME') || values.get('UBUNTU_CODENAME');
  if (codename) os.codename = codename;
  const name = values.get('PRETTY_NAME') || values.get('NAME');
  if (name) os.name = name;
  return os;
}

function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return q === '"' ? inner.replace(/\\(["\\`$])/g, '$1') : inner;
  }
  return value;
}
