import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryContainer } from '@vigil/common';
import { imageOfBundleConfig, inventoryContainer, runningContainers, type NodeProcess } from '../core/inventory/node-containers.ts';
import type { PackageDatabase } from './package-database.ts';

/** A container to inventory: how it is named, and where its root file system is seen from the node. */
export interface ContainerRoot {
  container: InventoryContainer;
  /** `<procDir>/<pid>/root` of its first process. */
  root: string;
}

/** Where the runtimes keep each container's OCI bundle (config.json with the image annotations), under the host root. */
const BUNDLES = [
  'run/containerd/io.containerd.runtime.v2.task/k8s.io/<id>/config.json',
  'run/containerd/io.containerd.runtime.v2.task/moby/<id>/config.json',
  'run/containers/storage/overlay-containers/<id>/userdata/config.json',
];

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The containers running on the node: every process's cgroup is read from `procDir` (the node's, with hostPID),
 * containers are told by core/inventory/node-containers, named from the kubelet's log names and the runtime's
 * bundle annotations. Processes gone while listing are skipped.
 */
export function scanNodeContainers(options: { procDir: string; hostRoot: string; containerLogDir: string; podLogDir: string }): ContainerRoot[] {
  const processes: NodeProcess[] = [];
  for (const name of list(options.procDir)) {
    if (!/^\d+$/.test(name)) continue;
    const cgroup = read(join(options.procDir, name, 'cgroup'));
    if (cgroup !== undefined) processes.push({ pid: Number(name), cgroup });
  }
  const logs = list(options.containerLogDir);
  const pods = list(options.podLogDir);
  return runningContainers(processes).map((running) => {
    let image = {};
    for (const pattern of BUNDLES) {
      const text = read(join(options.hostRoot, pattern.replace('<id>', running.ref.id)));
      if (text !== undefined) {
        image = imageOfBundleConfig(text);
        break;
      }
    }
    return { container: inventoryContainer(running, image, logs, pods), root: join(options.procDir, String(running.pid), 'root') };
  });
}

/** A hash of the database file, the same for two containers of one unchanged image (when the image is not known). */
export function databaseFingerprint(db: PackageDatabase): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(db.file)).digest('hex');
  } catch {
    return undefined;
  }
}
