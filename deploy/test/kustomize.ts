import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { VigilError } from '@vigil/common';

/** The repository root and the Kustomize tree of deploy/kubernetes. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KUBERNETES_DIR = join(REPO_ROOT, 'deploy/kubernetes');
export const OVERLAYS = readdirSync(join(KUBERNETES_DIR, 'overlays')).sort();

/** A rendered Kubernetes object, as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

let kubectlChecked: string | undefined | null = null;

/** Why the rendering tests cannot run here (kubectl absent), or undefined when they can. */
export function kubectlSkipReason(): string | undefined {
  if (kubectlChecked === null) {
    const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    kubectlChecked = probe.error || probe.status !== 0 ? 'kubectl is not installed (it renders the Kustomize overlays: kubectl kustomize)' : undefined;
  }
  return kubectlChecked;
}

const rendered = new Map<string, KubeObject[]>();

/** `kubectl kustomize deploy/kubernetes/overlays/<overlay>`, parsed; rendered once per process. */
export function renderOverlay(overlay: string): KubeObject[] {
  const cached = rendered.get(overlay);
  if (cached) return cached;
  let text: string;
  try {
    text = execFileSync('kubectl', ['kustomize', join(KUBERNETES_DIR, 'overlays', overlay)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (cause) {
    throw new VigilError('CONFIG_INVALID', `kubectl kustomize overlays/${overlay} failed: ${(cause as { stderr?: string }).stderr ?? String(cause)}`, { cause });
  }
  const objects = loadAll(text).filter((o): o is KubeObject => o !== null && typeof o === 'object');
  rendered.set(overlay, objects);
  return objects;
}

export function findObject(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new VigilError('CONFIG_INVALID', `no ${kind} ${name} in the rendered manifests`);
  return found;
}

/** ConfigMaps and Secrets get a hash suffix from their generators: find one by its base name. */
export function findGenerated(objects: readonly KubeObject[], kind: 'ConfigMap' | 'Secret', baseName: string): KubeObject | undefined {
  const generated = (name: string) => name.startsWith(`${baseName}-`) && /^[a-z0-9]{10}$/.test(name.slice(baseName.length + 1));
  return objects.find((o) => o.kind === kind && (o.metadata.name === baseName || generated(o.metadata.name)));
}
