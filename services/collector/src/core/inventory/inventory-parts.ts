import type { Inventory, InventoryContainer, InventoryOs, InventoryPackage, PackageFormat } from '@vigil/common';
import { sortPackages } from './package-list.ts';

/** One inventory before it is split: a full one (every package) or a delta (installed or upgraded, and removed). */
export interface InventoryDraft {
  scope: 'host' | 'container';
  type: 'full' | 'delta';
  collectedAt: string;
  os: InventoryOs;
  container?: InventoryContainer;
  format: PackageFormat;
  packages: InventoryPackage[];
  removed?: InventoryPackage[];
}

/**
 * Splits an inventory into events of at most `maxPackages` packages each (packages and removed ones together), so
 * that each stays far below the NATS max payload (1 MiB by default; a package is about 100 bytes of JSON). Every
 * part repeats the OS and container, and carries `inventoryId`, `part` (1-based) and `parts`. An inventory with no
 * packages at all is one part (a host or container with an empty database is worth saying).
 */
export function splitInventory(draft: InventoryDraft, inventoryId: string, maxPackages: number): Inventory[] {
  if (!Number.isInteger(maxPackages) || maxPackages < 1) throw new RangeError(`maxPackages must be a positive integer, not ${maxPackages}`);
  const items: Array<{ removed: boolean; p: InventoryPackage }> = [
    ...draft.packages.map((p) => ({ removed: false, p })),
    ...(draft.removed ?? []).map((p) => ({ removed: true, p })),
  ];
  const parts = Math.max(1, Math.ceil(items.length / maxPackages));
  const out: Inventory[] = [];
  for (let i = 0; i < parts; i++) {
    const chunk = items.slice(i * maxPackages, (i + 1) * maxPackages);
    const inventory: Inventory = {
      scope: draft.scope,
      type: draft.type,
      collectedAt: draft.collectedAt,
      os: draft.os,
      ...(draft.container ? { container: draft.container } : {}),
      format: draft.format,
      packages: chunk.filter((c) => !c.removed).map((c) => c.p),
      inventoryId,
      part: i + 1,
      parts,
    };
    if (draft.type === 'delta') inventory.removed = chunk.filter((c) => c.removed).map((c) => c.p);
    out.push(inventory);
  }
  return out;
}

/** The parts of one inventory put back together (what a consumer does once it has all of them). */
export function joinInventory(parts: readonly Inventory[]): InventoryDraft {
  const first = parts[0];
  if (!first) throw new RangeError('no parts to join');
  const draft: InventoryDraft = {
    scope: first.scope,
    type: first.type,
    collectedAt: first.collectedAt,
    os: first.os,
    ...(first.container ? { container: first.container } : {}),
    format: first.format,
    packages: sortPackages(parts.flatMap((p) => p.packages)),
  };
  if (first.type === 'delta') draft.removed = sortPackages(parts.flatMap((p) => p.removed ?? []));
  return draft;
}
