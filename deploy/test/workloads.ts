import type { KubeObject } from './kustomize.ts';

/** The parts of a pod spec the tests look at (the rest stays unknown). */
export interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  startupProbe?: unknown;
  livenessProbe?: unknown;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostPID?: boolean;
  hostNetwork?: boolean;
  hostIPC?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  tolerations?: Array<{ key?: string; operator?: string; effect?: string }>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{
    name: string;
    hostPath?: { path: string; type?: string };
    configMap?: { name: string; optional?: boolean; items?: Array<{ key: string; path: string }> };
    secret?: { secretName: string };
    persistentVolumeClaim?: { claimName: string };
    emptyDir?: Record<string, unknown>;
  }>;
}

export interface Workload {
  object: KubeObject;
  /** The component label: collector, decoder, rule-engine, indexer, notifier, nats. */
  component: string;
  pod: PodSpec;
  podLabels: Record<string, string>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export function workloads(objects: readonly KubeObject[]): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((object) => {
      const spec = object['spec'] as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
      return {
        object,
        component: object.metadata.labels?.['app.kubernetes.io/component'] ?? object.metadata.name,
        pod: spec.template.spec,
        podLabels: spec.template.metadata.labels,
      };
    });
}

/** The Vigil services (every workload but NATS itself). */
export const VIGIL_SERVICES = ['collector', 'decoder', 'rule-engine', 'indexer', 'notifier', 'responder'] as const;

export function allContainers(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}
