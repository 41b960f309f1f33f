import type { InventoryPackage } from '@vigil/common';
import { packageOf, sortPackages, type PackageList } from './package-list.ts';

/**
 * The installed packages of apk's database (`/lib/apk/db/installed`): one paragraph per package, one `X:value`
 * line per field (P: name, V: version, A: architecture, o: origin, the source package), blank lines between them.
 * The origin is built with the same version as its packages, so only its name is kept.
 */
export function parseApkInstalled(text: string): PackageList {
  const packages: InventoryPackage[] = [];
  const problems: string[] = [];
  let fields = new Map<string, string>();
  let start = 1;
  const flush = (): void => {
    if (fields.size === 0) return;
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) problems.push(`line ${start}: a package without ${name ? 'V: (version)' : 'P: (name)'}`);
    else packages.push(packageOf(name, version, fields.get('A'), fields.get('o'), undefined));
    fields = new Map();
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line === '') {
      flush();
      continue;
    }
    if (fields.size === 0) start = i + 1;
    if (line[1] !== ':') {
      problems.push(`line ${i + 1}: not an 'X:value' line: '${line.slice(0, 80)}'`);
      continue;
    }
    // Per-file lines (F:, R:, Z:, a:, M:) repeat; only the package's own first values matter.
    const key = line[0] as string;
    if (!fields.has(key)) fields.set(key, line.slice(2));
  }
  flush();
  return { format: 'apk', packages: sortPackages(packages), problems };
}
