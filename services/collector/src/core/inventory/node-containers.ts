import type { InventoryContainer } from '@vigil/common';
import { containerOfCgroup, type ContainerRef } from '../containers/cgroup-container.ts';
import { podOfContainer } from '../containers/pod-of-container.ts';

/** A process of the node as read from /proc: its pid and the text of its cgroup file. */
export interface NodeProcess {
  pid: number;
  cgroup: string;
}

/** A container running on the node, with the process through whose `/proc/<pid>/root` its files are read. */
export interface RunningContainer {
  ref: ContainerRef;
  /** The container's first process (the lowest pid of those in its cgroup). */
  pid: number;
}

/** The containers among the node's processes (each once, with its lowest pid), in order of container id. */
export function runningContainers(processes: readonly NodeProcess[]): RunningContainer[] {
  const byId = new Map<string, RunningContainer>();
  for (const p of processes) {
    const ref = containerOfCgroup(p.cgroup);
    if (!ref) continue;
    const known = byId.get(ref.id);
    if (!known || p.pid < known.pid) byId.set(ref.id, { ref, pid: p.pid });
  }
  return [...byId.values()].sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
}

/**
 * The image a container was started from, from the annotations the runtime writes into its OCI bundle's
 * config.json (containerd: `io.kubernetes.cri.image-name`; CRI-O: `io.kubernetes.cri-o.ImageName` and
 * `io.kubernetes.cri-o.ImageRef`). A digest is `sha256:` + 64 hex digits, alone or after `@` in a reference.
 */
export function imageOfBundleConfig(configJson: string): { image?: string; imageDigest?: string } {
  let annotations: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(configJson) as { annotations?: unknown };
    if (parsed && typeof parsed.annotations === 'object' && parsed.annotations !== null) annotations = parsed.annotations as Record<string, unknown>;
  } catch {
    return {};
  }
  const str = (k: string): string | undefined => (typeof annotations[k] === 'string' && annotations[k] !== '' ? (annotations[k] as string) : undefined);
  const image = str('io.kubernetes.cri.image-name') ?? str('io.kubernetes.cri-o.ImageName') ?? str('org.opencontainers.image.ref.name');
  const digestOf = (s: string | undefined): string | undefined => /(?:^|@)(sha256:[0-9a-f]{64})$/.exec(s ?? '')?.[1];
  const imageDigest = digestOf(str('io.kubernetes.cri-o.ImageRef')) ?? digestOf(image);
  return { ...(image ? { image } : {}), ...(imageDigest ? { imageDigest } : {}) };
}

/** The container as the inventory names it: id, image and digest when known, pod and namespace from the kubelet's log names. */
export function inventoryContainer(
  running: RunningContainer,
  image: { image?: string; imageDigest?: string },
  containerLogNames: readonly string[],
  podLogDirs: readonly string[],
): InventoryContainer {
  const pod = podOfContainer(running.ref, containerLogNames, podLogDirs);
  return {
    id: running.ref.id,
    ...(image.image ? { image: image.image } : {}),
    ...(image.imageDigest ? { imageDigest: image.imageDigest } : {}),
    ...(pod ? { pod: pod.pod, namespace: pod.namespace } : {}),
  };
}

/**
 * Which containers to inventory: one per image. Containers of the same image have the same packages, so the first
 * (by id) stands for the others. The key is the image digest, else the image name, else `fingerprint` (the adapter
 * gives a hash of the package database file, which is the same for two containers of one unchanged image).
 */
export function dedupeKey(container: InventoryContainer, fingerprint: string | undefined): string {
  if (container.imageDigest) return `digest:${container.imageDigest}`;
  if (container.image) return `image:${container.image}`;
  return `db:${fingerprint ?? container.id}`;
}
