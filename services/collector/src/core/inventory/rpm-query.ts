import type { InventoryPackage } from '@vigil/common';
import { packageOf, sortPackages, type PackageList } from './package-list.ts';

/**
 * rpm's own reading of its database: `rpm -qa --dbpath <dir> --queryformat RPM_QUERY_FORMAT` prints one line per
 * package, fields separated by tabs: name, [epoch:]version-release, arch, source RPM file name.
 */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n';

/** The source package's name from its file name: `bash-5.1.8-6.el9.src.rpm` → `bash` (name-version-release). */
export function sourceRpmName(file: string): string | undefined {
  const m = /^(.+)-[^-]+-[^-]+\.(?:no)?src\.rpm$/.exec(file);
  return m?.[1];
}

export function parseRpmQuery(output: string): PackageList {
  const packages: InventoryPackage[] = [];
  const problems: string[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const [name, version, arch, sourceRpm] = line.split('\t');
    if (!name || !version || arch === undefined || sourceRpm === undefined) {
      problems.push(`line ${i + 1}: not name, version, arch and source RPM: '${line.slice(0, 80)}'`);
      continue;
    }
    // gpg-pubkey entries have no architecture and no source RPM: rpm prints (none).
    const source = sourceRpm === '(none)' ? undefined : sourceRpmName(sourceRpm);
    packages.push(packageOf(name, version, arch === '(none)' ? undefined : arch, source, undefined));
  }
  return { format: 'rpm', packages: sortPackages(packages), problems };
}
