import type { InventoryPackage } from '@vigil/common';
import { controlParagraphs } from './control-paragraphs.ts';
import { packageOf, sortPackages, type PackageList } from './package-list.ts';

/**
 * The installed packages of dpkg's database (`/var/lib/dpkg/status`): paragraphs whose Status is `install ok
 * installed`, each with its source package. `Source:` is `name` or `name (version)`; absent, the source is the
 * binary package itself (as `dpkg-query -W -f '${source:Package} ${source:Version}'` says).
 */
export function parseDpkgStatus(text: string): PackageList {
  const packages: InventoryPackage[] = [];
  const problems: string[] = [];
  for (const paragraph of controlParagraphs(text)) {
    const f = paragraph.fields;
    const bad = [...f.keys()].find((k) => k.startsWith('\u0000'));
    const name = f.get('package');
    if (bad !== undefined || !name) {
      problems.push(`line ${paragraph.line}: ${bad !== undefined ? `not a 'Field: value' line: '${f.get(bad)?.slice(0, 80)}'` : 'a paragraph without Package'}`);
      continue;
    }
    const status = (f.get('status') ?? '').split(/\s+/);
    if (status[0] !== 'install' && status[0] !== 'hold') continue;
    if (status[2] !== 'installed') continue;
    const version = f.get('version');
    if (!version) {
      problems.push(`line ${paragraph.line}: package ${name} is installed but has no Version`);
      continue;
    }
    const arch = f.get('architecture');
    const source = /^(\S+)(?:\s+\((\S+)\))?\s*$/.exec(f.get('source') ?? '');
    packages.push(packageOf(name, version, arch, source?.[1], source ? (source[2] ?? version) : undefined));
  }
  return { format: 'deb', packages: sortPackages(packages), problems };
}
