import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason, OVERLAYS, renderOverlay, type KubeObject } from './kustomize.ts';
import { unknownFields } from './unknown-fields.ts';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The kubernetes-models class of an object (its OpenAPI schema compiled to a validator), by apiVersion and kind. */
async function modelOf(object: KubeObject): Promise<ModelClass | undefined> {
  // kubernetes-models/<group>/<version> ("v1" for the core group) exports one class per kind.
  const group = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
  return group[object.kind] as ModelClass | undefined;
}

for (const overlay of OVERLAYS) {
  test(`overlay ${overlay}: every rendered object is valid against the Kubernetes schemas`, async (t) => {
    const skip = kubectlSkipReason();
    if (skip) return t.skip(skip);
    const objects = renderOverlay(overlay);
    assert.ok(objects.length > 20, `only ${objects.length} objects rendered`);
    const problems: string[] = [];
    for (const object of objects) {
      const where = `${object.kind} ${object.metadata?.name} (${object.apiVersion})`;
      const Model = await modelOf(object).catch(() => undefined);
      if (!Model) {
        problems.push(`${where}: no schema for this apiVersion/kind`);
        continue;
      }
      try {
        const model = new Model(object);
        // The same validation, on a view that notes which fields the schema read: the others are unknown to it.
        for (const field of unknownFields(model, (view) => Model.prototype.validate.call(view))) problems.push(`${where}: unknown field ${field}`);
      } catch (err) {
        problems.push(`${where}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test(`overlay ${overlay}: names are unique per kind and every namespaced object is in vigil`, (t) => {
    const skip = kubectlSkipReason();
    if (skip) return t.skip(skip);
    const objects = renderOverlay(overlay);
    const seen = new Set<string>();
    for (const o of objects) {
      const key = `${o.kind}/${o.metadata.name}`;
      assert.ok(!seen.has(key), `${key} rendered twice`);
      seen.add(key);
      const clusterScoped = o.kind === 'Namespace' || o.kind === 'PriorityClass';
      assert.equal(o.metadata.namespace, clusterScoped ? undefined : 'vigil', `${key}: namespace`);
    }
  });
}

test('a misspelt field is reported as unknown, while maps (labels, data, requests) take any key', async () => {
  const { Deployment } = (await import('kubernetes-models/apps/v1')) as unknown as Record<string, ModelClass>;
  const Model = Deployment as ModelClass;
  const model = new Model({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', labels: { anything: 'goes' }, annotaions: { typo: 'here' } },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: {
          containers: [{ name: 'a', image: 'b', resources: { requests: { cpu: '1' } }, securityContext: { readOnlyRootFileSystem: true } }],
        },
      },
    },
  });
  assert.deepEqual(unknownFields(model, (view) => Model.prototype.validate.call(view)), [
    'metadata.annotaions',
    'spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem',
  ]);
});

test('the validator rejects what the API server would (so a pass means something)', async () => {
  const { Deployment } = (await import('kubernetes-models/apps/v1')) as unknown as Record<string, ModelClass>;
  const broken = (spec: unknown) => new (Deployment as ModelClass)({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec });
  assert.throws(() => broken({ replicas: '2', selector: {}, template: { spec: { containers: [{ name: 'a' }] } } }).validate(), /replicas must be integer/);
  assert.throws(() => broken({ selector: {}, template: { spec: { containers: [{ image: 'a' }] } } }).validate(), /required property 'name'|required property name/);
  assert.throws(
    () => broken({ selector: {}, template: { spec: { containers: [{ name: 'a', securityContext: { readOnlyRootFilesystem: 'yes' } }] } } }).validate(),
    /readOnlyRootFilesystem must be boolean/,
  );
});
