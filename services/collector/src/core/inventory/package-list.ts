import type { InventoryPackage, PackageFormat } from '@vigil/common';

/** What a package database yields: its packages, and the records it could not read (a corrupt database). */
export interface PackageList {
  format: PackageFormat;
  packages: InventoryPackage[];
  /** Records skipped, each with why (e.g. `record 12: no Version`). */
  problems: string[];
}

/** A package's identity across two inventories: its name and architecture (dpkg installs libc6:amd64 and libc6:i386). */
export function packageKey(p: InventoryPackage): string {
  return p.arch === undefined ? p.name : `${p.name}:${p.arch}`;
}

/** A package with source and sourceVersion only where they tell something: a different name, a different version. */
export function packageOf(name: string, version: string, arch: string | undefined, source: string | undefined, sourceVersion: string | undefined): InventoryPackage {
  const p: InventoryPackage = { name, version };
  if (arch) p.arch = arch;
  if (source && source !== name) p.source = source;
  if (sourceVersion && sourceVersion !== version) p.sourceVersion = sourceVersion;
  return p;
}

/** Sorted by name then architecture, so two inventories of the same host compare and split the same way. */
export function sortPackages(packages: InventoryPackage[]): InventoryPackage[] {
  return packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.arch ?? '') < (b.arch ?? '') ? -1 : (a.arch ?? '') > (b.arch ?? '') ? 1 : 0));
}
