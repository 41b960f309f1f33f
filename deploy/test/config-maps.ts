import { load as loadYaml } from 'js-yaml';
import { HealthConfig, loadConfig } from '@vigil/common';
import { ENV_OVERRIDES, VigilConfig } from '../../services/cli/src/config.ts';
import { findObject, type KubeObject } from './kustomize.ts';
import { workloads, type Container, type Workload } from './workloads.ts';

/** Variables read outside ENV_OVERRIDES: VIGIL_CONFIG (resolveConfigFile) and NODE_NAME (the collector's agent name). */
export const READ_ELSEWHERE = new Set(['VIGIL_CONFIG', 'NODE_NAME']);
/** Variables the manifests set for keys whose environment override the lead wires in services/cli/src/config.ts. */
export const PENDING_OVERRIDES: Record<string, string> = {
  NATS_USER: 'nats.user',
  NATS_PASSWORD: 'nats.password',
  ELASTICSEARCH_API_KEY: 'indexer.elasticsearch.apiKey',
};

export type Config = ReturnType<typeof loadConfig<typeof VigilConfig>>;

export interface ServiceSetup {
  service: string;
  workload: Workload;
  container: Container;
  document: Record<string, unknown>;
  config: Config;
}

/** What the pod's literal env and downward-API values would be for its first replica. */
export function podEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.labels['apps.kubernetes.io/pod-index']") env[e.name] = '0';
  }
  return env;
}

/**
 * Loads a service's vigil.yaml from its rendered ConfigMap through the real loader (VigilConfig of
 * services/cli/src/config.ts, the pod's env applied through ENV_OVERRIDES). While VigilConfig has no `health` key
 * yet (the lead wires it), that key is checked against HealthConfig alone and taken out.
 */
export function loadServiceConfig(objects: readonly KubeObject[], service: string, note: (m: string) => void): ServiceSetup {
  const workload = workloads(objects).find((w) => w.component === service) as Workload;
  const container = workload.pod.containers[0] as Container;
  const volume = workload.pod.volumes?.find((v) => v.name === 'config');
  const configMap = findObject(objects, 'ConfigMap', volume?.configMap?.name ?? '(no config volume)');
  const text = (configMap['data'] as Record<string, string>)['vigil.yaml'] as string;
  const document = loadYaml(text) as Record<string, unknown>;
  if (!('health' in VigilConfig.properties)) {
    loadConfig(HealthConfig, { document: document['health'] ?? {} });
    note("VigilConfig has no 'health' key yet (the lead wires it): each health section was checked against HealthConfig alone");
  }
  const config = loadConfig(VigilConfig, { document: forLoader(document), env: podEnv(container), envOverrides: ENV_OVERRIDES });
  return { service, workload, container, document, config };
}

/** The document as VigilConfig takes it: without `health` until the lead has added that key. */
export function forLoader(document: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(document);
  if (!('health' in VigilConfig.properties)) delete copy['health'];
  return copy;
}
