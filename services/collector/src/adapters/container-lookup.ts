import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerOfCgroup } from '../core/containers/cgroup-container.ts';
import type { ContainerFacts } from '../core/containers/container-record.ts';
import { podOfContainer, type PodRef } from '../core/containers/pod-of-container.ts';
import { hasSysAdmin, mountedRuntimeSockets } from '../core/containers/process-privileges.ts';

/** Where the node's process table and the kubelet's log directories are (under /host in a DaemonSet). */
export interface ContainerLookupOptions {
  procDir: string;
  containerLogDir: string;
  podLogDir: string;
  /** A miss lists the log directories again at most this often. */
  refreshMs?: number;
  now?: () => number;
}

const MAX_CACHED = 4096;

/**
 * The container (and Kubernetes pod) a process runs in: reads /proc/<pid>/cgroup, status and mountinfo, and
 * lists /var/log/containers and /var/log/pods, which the kubelet keeps for every container and pod on the node.
 * The parsing is core/containers; this only reads.
 */
export class ContainerLookup {
  private containerLogs: string[] = [];
  private podDirs: string[] = [];
  private listedAt = Number.NEGATIVE_INFINITY;
  private readonly pods = new Map<string, PodRef>();

  constructor(private readonly options: ContainerLookupOptions) {}

  /**
   * The facts for the first of `pids` whose process still exists (the process, then its parent: a short-lived
   * command may be gone by the time its record is read, its shell not). Undefined for a process of the host, or
   * when none of them exists any more.
   */
  ofProcess(pids: ReadonlyArray<string | undefined>): ContainerFacts | undefined {
    for (const pid of pids) {
      if (pid === undefined || !/^\d+$/.test(pid) || pid === '0') continue;
      const cgroup = this.read(join(this.options.procDir, pid, 'cgroup'));
      if (cgroup === undefined) continue;
      const container = containerOfCgroup(cgroup);
      if (!container) return undefined;
      const status = this.read(join(this.options.procDir, pid, 'status'));
      const mounts = this.read(join(this.options.procDir, pid, 'mountinfo'));
      const runtimeSockets = mounts === undefined ? [] : mountedRuntimeSockets(mounts);
      const pod = this.pod(container);
      return { container, ...(pod ? { pod } : {}), sysAdmin: status !== undefined && hasSysAdmin(status), ...(runtimeSockets.length > 0 ? { runtimeSockets } : {}) };
    }
    return undefined;
  }

  private pod(container: Parameters<typeof podOfContainer>[0]): PodRef | undefined {
    const known = this.pods.get(container.id);
    if (known) return known;
    let pod = podOfContainer(container, this.containerLogs, this.podDirs);
    const now = (this.options.now ?? Date.now)();
    if (!pod && now - this.listedAt >= (this.options.refreshMs ?? 2000)) {
      this.listedAt = now;
      this.containerLogs = this.list(this.options.containerLogDir);
      this.podDirs = this.list(this.options.podLogDir);
      pod = podOfContainer(container, this.containerLogs, this.podDirs);
    }
    if (pod) {
      if (this.pods.size >= MAX_CACHED) this.pods.clear();
      this.pods.set(container.id, pod);
    }
    return pod;
  }

  private read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  private list(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  }
}
