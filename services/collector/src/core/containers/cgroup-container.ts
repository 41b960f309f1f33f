/**
 * Which container a process runs in, from the text of its /proc/<pid>/cgroup: the container runtimes name the
 * cgroup of each container after its id, and the kubelet puts it under the pod's cgroup (named after the pod's uid).
 *
 *   0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid, _ for ->.slice/cri-containerd-<id>.scope
 *   12:pids:/kubepods/besteffort/pod<uid>/<id>                       (cgroupfs driver)
 *   0::/system.slice/docker-<id>.scope, 0::/docker/<id>              (Docker without Kubernetes)
 *   0::/kubepods.slice/.../crio-<id>.scope                           (CRI-O; crio-conmon-<id> is its monitor, not the container)
 */
export type ContainerRuntime = 'containerd' | 'cri-o' | 'docker' | 'unknown';

export interface ContainerRef {
  /** The full 64-hex-digit container id. */
  id: string;
  runtime: ContainerRuntime;
  /** The pod's uid when the cgroup is a kubelet one (dashes restored). */
  podUid?: string;
}

const ID = '([0-9a-f]{64})';
const SCOPE = new RegExp(`(?:^|/)(cri-containerd|crio|docker|libpod)-${ID}\\.scope(?:/|$)`);
const BARE = new RegExp(`(?:^|/)${ID}(?:/|$)`);
const POD = /(?:^|\/)(?:kubepods[\w-]*-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?(?:\/|$)/;

const RUNTIME: Record<string, ContainerRuntime> = { 'cri-containerd': 'containerd', crio: 'cri-o', docker: 'docker', libpod: 'unknown' };

/** The container of a process, or undefined for a process of the host (or an unreadable cgroup file). */
export function containerOfCgroup(text: string): ContainerRef | undefined {
  for (const line of text.split('\n')) {
    // hierarchy-id:controllers:path; the path may itself hold colons.
    const m = /^\d+:[^:]*:(.*)$/.exec(line.trim());
    if (!m) continue;
    const path = m[1] as string;
    const pod = POD.exec(path);
    const podUid = pod ? (pod[1] as string).replaceAll('_', '-') : undefined;
    const scope = SCOPE.exec(path);
    if (scope) return { id: scope[2] as string, runtime: RUNTIME[scope[1] as string] ?? 'unknown', ...(podUid ? { podUid } : {}) };
    const bare = BARE.exec(path);
    if (bare) return { id: bare[1] as string, runtime: path.startsWith('/docker/') ? 'docker' : 'unknown', ...(podUid ? { podUid } : {}) };
  }
  return undefined;
}
