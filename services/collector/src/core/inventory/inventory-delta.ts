import type { InventoryPackage } from '@vigil/common';
import { packageKey, sortPackages } from './package-list.ts';

/** What changed between two package lists of one host or container. */
export interface PackageDelta {
  installed: InventoryPackage[];
  removed: InventoryPackage[];
  /** The packages whose version (or source) changed, as they are now. */
  upgraded: InventoryPackage[];
}

/**
 * The difference between two package lists, packages matched by name and architecture. A downgrade counts as
 * upgraded (a version change either way); `removed` keeps the version that was installed.
 */
export function diffPackages(before: readonly InventoryPackage[], after: readonly InventoryPackage[]): PackageDelta {
  const old = new Map(before.map((p) => [packageKey(p), p]));
  const installed: InventoryPackage[] = [];
  const upgraded: InventoryPackage[] = [];
  for (const p of after) {
    const key = packageKey(p);
    const was = old.get(key);
    old.delete(key);
    if (!was) installed.push(p);
    else if (was.version !== p.version || was.source !== p.source || was.sourceVersion !== p.sourceVersion) upgraded.push(p);
  }
  return { installed: sortPackages(installed), removed: sortPackages([...old.values()]), upgraded: sortPackages(upgraded) };
}

export function isEmptyDelta(delta: PackageDelta): boolean {
  return delta.installed.length === 0 && delta.removed.length === 0 && delta.upgraded.length === 0;
}
