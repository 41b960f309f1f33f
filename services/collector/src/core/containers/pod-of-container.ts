import type { ContainerRef } from './cgroup-container.ts';

/** The Kubernetes pod and container a container id belongs to. */
export interface PodRef {
  namespace: string;
  pod: string;
  /** The container's name in the pod (known from /var/log/containers). */
  container?: string;
  podUid?: string;
}

/**
 * Finds the pod of a container from the names the kubelet gives its log files, which are cheap to list and need no
 * API access:
 *   /var/log/containers/<pod>_<namespace>_<container>-<container id>.log   (symbolic links, one per container)
 *   /var/log/pods/<namespace>_<pod>_<pod uid>/                            (one directory per pod)
 * Pod, namespace and container names cannot hold '_' (DNS labels), so the names split unambiguously.
 */
export function podOfContainer(ref: ContainerRef, containerLogNames: readonly string[], podLogDirs: readonly string[]): PodRef | undefined {
  const suffix = `-${ref.id}.log`;
  for (const name of containerLogNames) {
    if (!name.endsWith(suffix)) continue;
    const parts = name.slice(0, -suffix.length).split('_');
    if (parts.length !== 3 || parts.some((p) => p === '')) continue;
    const [pod, namespace, container] = parts as [string, string, string];
    return { namespace, pod, container, ...(ref.podUid ? { podUid: ref.podUid } : {}) };
  }
  if (ref.podUid) {
    for (const dir of podLogDirs) {
      const parts = dir.split('_');
      if (parts.length === 3 && parts[2] === ref.podUid && parts[0] && parts[1]) return { namespace: parts[0], pod: parts[1], podUid: ref.podUid };
    }
  }
  return undefined;
}
