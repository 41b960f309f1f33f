import type { ContainerRef } from './cgroup-container.ts';
import type { PodRef } from './pod-of-container.ts';

/** What the collector learnt about the container a process ran in. */
export interface ContainerFacts {
  container: ContainerRef;
  pod?: PodRef | undefined;
  /** CAP_SYS_ADMIN in the process's effective set: a privileged container (or one granted SYS_ADMIN). */
  sysAdmin?: boolean;
  /** Container runtime sockets mounted into it (mount points). */
  runtimeSockets?: string[];
}

/**
 * The facts as one more record of the audit event, in auditd's own syntax so the event stays one line of records:
 *   type=VIGIL_CONTAINER msg=audit(<time>:<serial>): container_id=<id> runtime=<runtime> cap_sys_admin=<yes|no>
 *     [runtime_socket=<mount point>] k8s_namespace="<ns>" k8s_pod="<pod>" k8s_container="<name>" pod_uid=<uid>
 */
export function containerRecord(stamp: string, facts: ContainerFacts): string {
  const { container, pod } = facts;
  const words = [`type=VIGIL_CONTAINER msg=audit(${stamp}):`, `container_id=${container.id}`, `runtime=${container.runtime}`, `cap_sys_admin=${facts.sysAdmin ? 'yes' : 'no'}`];
  const socket = facts.runtimeSockets?.[0];
  if (socket) words.push(`runtime_socket=${socket.replace(/\s/g, '_')}`);
  if (pod) {
    words.push(`k8s_namespace="${pod.namespace}"`, `k8s_pod="${pod.pod}"`);
    if (pod.container) words.push(`k8s_container="${pod.container}"`);
  }
  const uid = pod?.podUid ?? container.podUid;
  if (uid) words.push(`pod_uid=${uid}`);
  return words.join(' ');
}

/** The same facts for `payload.audit.container`. */
export function containerPayload(facts: ContainerFacts): Record<string, unknown> {
  const { container, pod } = facts;
  const uid = pod?.podUid ?? container.podUid;
  return {
    id: container.id,
    runtime: container.runtime,
    sys_admin: facts.sysAdmin === true,
    ...(facts.runtimeSockets && facts.runtimeSockets.length > 0 ? { runtime_sockets: facts.runtimeSockets } : {}),
    ...(pod ? { namespace: pod.namespace, pod: pod.pod, ...(pod.container ? { name: pod.container } : {}) } : {}),
    ...(uid ? { pod_uid: uid } : {}),
  };
}
