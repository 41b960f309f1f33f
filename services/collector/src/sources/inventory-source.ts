import { randomUUID } from 'node:crypto';
import { release } from 'node:os';
import { resolve } from 'node:path';
import { errorMessage, type Inventory, type InventoryContainer, type InventoryOs, type InventoryPackage, type Logger } from '@vigil/common';
import type { SpoolStore } from '../adapters/spool-store.ts';
import { databaseSignature, findPackageDatabase, readOsRelease, readPackageDatabase, type PackageDatabase } from '../adapters/package-database.ts';
import { databaseFingerprint, scanNodeContainers } from '../adapters/node-containers.ts';
import { collectorNotice, type NoticeType } from '../core/collector-notice.ts';
import { diffPackages, isEmptyDelta } from '../core/inventory/inventory-delta.ts';
import { splitInventory, type InventoryDraft } from '../core/inventory/inventory-parts.ts';
import { dedupeKey } from '../core/inventory/node-containers.ts';
import type { EventDraft } from '../core/raw-event.ts';
import type { InventoryConfig } from '../inventory-config.ts';
import type { EventSource } from './event-source.ts';

export const INVENTORY_LOCATION = 'syscollector';

/** One system inventoried: the host, or one container standing for its image. */
interface Target {
  scope: 'host' | 'container';
  root: string;
  container?: InventoryContainer;
  db?: PackageDatabase;
  /** The database's signature when it was last read (and its inventory sent). */
  readSignature?: string;
  /** The signature seen at the last poll: a change is read once two polls agree (the file stopped changing). */
  seenSignature?: string;
  os?: InventoryOs;
  packages?: InventoryPackage[];
}

const ROOM_POLL_MS = 1000;
const LOOKED_FOR = 'var/lib/dpkg/status, lib/apk/db/installed, usr/lib/sysimage/rpm, var/lib/rpm';

/**
 * Wazuh's syscollector for packages: a full inventory of the host (OS, kernel, installed packages from the package
 * manager's database under hostRoot) on start and every intervalHours, and a delta when the database changes
 * (its mtime polled every pollSeconds). With `containers`, the same for one container per image running on the
 * node. Each inventory is split into parts (core/inventory/inventory-parts.ts) and spooled in one append as
 * events of kind `inventory`, `payload.inventory` as in @vigil/common's Inventory schema. Unreadable databases
 * are notices naming the file, reported once until they read again.
 */
export class InventorySource implements EventSource {
  readonly name = 'inventory';
  private readonly host: Target;
  private readonly containers = new Map<string, Target>();
  private readonly reported = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly options: { config: InventoryConfig; spool: SpoolStore; logger: Logger; now?: () => Date },
  ) {
    this.host = { scope: 'host', root: resolve(options.config.hostRoot) };
  }

  async start(): Promise<void> {
    const c = this.options.config;
    await this.enqueue(() => this.fullInventories());
    this.timers.push(setInterval(() => void this.enqueue(() => this.fullInventories()), c.intervalHours * 3_600_000));
    this.timers.push(setInterval(() => void this.enqueue(() => this.pollAll()), c.pollSeconds * 1000));
    if (c.containers.enabled) this.timers.push(setInterval(() => void this.enqueue(() => this.rescanContainers()), c.containers.rescanSeconds * 1000));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.chain;
  }

  describe(): string[] {
    const c = this.options.config;
    return [
      `inventory: packages under ${c.hostRoot} every ${c.intervalHours} h, changes within ${c.pollSeconds} s${c.containers.enabled ? `; containers through ${c.containers.procDir}/<pid>/root` : ''}`,
    ];
  }

  /** Work runs one piece at a time (a poll never overlaps a full inventory). */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.stopped) return;
      try {
        await work();
      } catch (err) {
        this.options.logger.error({ err, source: this.name }, 'inventory failed');
      }
    });
    return this.chain;
  }

  private async fullInventories(): Promise<void> {
    await this.inventory(this.host, 'full');
    if (this.options.config.containers.enabled) {
      this.containers.clear();
      await this.rescanContainers();
    }
  }

  private async pollAll(): Promise<void> {
    for (const target of [this.host, ...this.containers.values()]) {
      if (this.stopped) return;
      if (!target.db) {
        // A host without a database found yet (or a container): look again, with a full inventory when it appears.
        if (target.scope === 'host') await this.inventory(target, 'full');
        continue;
      }
      const signature = databaseSignature(target.db);
      const settled = signature !== undefined && signature === target.seenSignature;
      target.seenSignature = signature;
      if (settled && signature !== target.readSignature) await this.inventory(target, target.packages ? 'delta' : 'full');
    }
  }

  private async rescanContainers(): Promise<void> {
    const c = this.options.config.containers;
    const seen = new Set<string>();
    const all = scanNodeContainers({ procDir: c.procDir, hostRoot: this.host.root, containerLogDir: c.containerLogDir, podLogDir: c.podLogDir });
    const running = new Set(all.map((f) => f.container.id));
    for (const found of all) {
      if (this.stopped) return;
      const db = findPackageDatabase(found.root);
      // Distroless and scratch images have no package database: nothing to inventory.
      if (!db) continue;
      const key = dedupeKey(found.container, found.container.imageDigest || found.container.image ? undefined : databaseFingerprint(db));
      seen.add(key);
      const known = this.containers.get(key);
      if (known && running.has(known.container?.id ?? '')) continue;
      if (known) {
        // The container that stood for this image is gone: another of the same image stands for it now, without a
        // new inventory (same image, same packages); its database is compared from here on.
        Object.assign(known, { root: found.root, container: found.container, db, readSignature: databaseSignature(db), seenSignature: undefined });
        continue;
      }
      const target: Target = { scope: 'container', root: found.root, container: found.container, db };
      this.containers.set(key, target);
      await this.inventory(target, 'full');
    }
    for (const key of [...this.containers.keys()]) if (!seen.has(key)) this.containers.delete(key);
  }

  /** Reads one target's database and spools its inventory (full, or the delta since the last one sent). */
  private async inventory(target: Target, type: 'full' | 'delta'): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    target.db ??= findPackageDatabase(target.root);
    const db = target.db;
    if (!db) {
      if (target.scope === 'host') await this.notice('inventory_unavailable', target.root, `no package database found (looked for ${LOOKED_FOR})`);
      return;
    }
    const signature = databaseSignature(db);
    let list;
    try {
      list = await readPackageDatabase(db, { rpmCommand: this.options.config.rpmCommand });
    } catch (err) {
      target.readSignature = signature;
      await this.notice('inventory_unreadable', db.file, errorMessage(err), { format: db.format });
      return;
    }
    this.reported.delete(`inventory_unreadable:${db.file}`);
    target.readSignature = signature;
    target.seenSignature = signature;
    if (list.problems.length > 0) {
      await this.notice('inventory_unreadable', db.file, `${list.problems.length} record(s) could not be read, first: ${list.problems[0]}`, {
        format: db.format,
        problems: list.problems.slice(0, 10),
      });
    }
    const os: InventoryOs = { ...readOsRelease(target.root), ...(target.scope === 'host' ? { kernel: release() } : {}) };
    const base = { scope: target.scope, collectedAt: now.toISOString(), os, ...(target.container ? { container: target.container } : {}), format: list.format };
    let draft: InventoryDraft;
    if (type === 'full' || !target.packages) {
      draft = { ...base, type: 'full', packages: list.packages };
    } else {
      const delta = diffPackages(target.packages, list.packages);
      if (isEmptyDelta(delta)) {
        target.packages = list.packages;
        return;
      }
      draft = { ...base, type: 'delta', packages: [...delta.installed, ...delta.upgraded], removed: delta.removed };
    }
    const parts = splitInventory(draft, randomUUID(), this.options.config.maxPackagesPerEvent);
    if (!(await this.append(parts.map(inventoryDraft)))) return;
    target.packages = list.packages;
    target.os = os;
  }

  private async notice(type: NoticeType, subject: string, reason: string, extra: Record<string, unknown> = {}): Promise<void> {
    const key = `${type}:${subject}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.options.logger.warn({ source: this.name, subject, reason }, type);
    await this.append([collectorNotice(type, subject, reason, extra)]);
  }

  /** Appends once the spool has room; false when the collector stopped first (the inventory is taken again next start). */
  private async append(drafts: EventDraft[]): Promise<boolean> {
    const { spool } = this.options;
    while (!spool.hasRoom()) {
      if (this.stopped) return false;
      await new Promise((r) => setTimeout(r, ROOM_POLL_MS));
    }
    spool.append(drafts);
    return true;
  }
}

export function inventoryDraft(inventory: Inventory): EventDraft {
  return { kind: 'inventory', location: INVENTORY_LOCATION, payload: { inventory } };
}
