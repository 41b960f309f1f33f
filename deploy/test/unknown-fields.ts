/**
 * Unknown-field detection for kubernetes-models validators. The Kubernetes OpenAPI schemas do not forbid extra
 * properties, so a misspelt field (`readOnlyRootFileSystem`) passes validation, and the API server drops it (or
 * rejects it with strict field validation). The compiled validators read every property their schema knows, and
 * enumerate the keys of maps (labels, data, resources.requests): watching those reads through a Proxy tells which
 * properties of each visited object no schema knows.
 */

/**
 * Properties the kubernetes-models generator drops from its schemas (it takes a property named `description`
 * for documentation), so its validators never read them although the API has them (PriorityClass.description).
 */
const NOT_IN_GENERATED_SCHEMAS = new Set(['description']);

interface Visit {
  path: string;
  target: Record<string, unknown>;
  read: Set<string>;
  enumerated: boolean;
}

/** Runs `validate` on a read-tracking view of `data` and returns the paths of the properties it never looked at. */
export function unknownFields(data: object, validate: (view: object) => void): string[] {
  const visits = new Map<object, Visit>();
  const proxies = new WeakMap<object, object>();

  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    const target = value as Record<string, unknown>;
    if (!Array.isArray(value)) visits.set(value, { path, target, read: new Set(), enumerated: false });
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        const result = Reflect.get(t, key, receiver) as unknown;
        if (typeof key !== 'string') return result;
        visits.get(t)?.read.add(key);
        return typeof result === 'function' ? result : wrap(result, Array.isArray(t) ? `${path}[${key}]` : `${path}.${key}`);
      },
      has(t, key) {
        if (typeof key === 'string') visits.get(t)?.read.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        const visit = visits.get(t);
        if (visit) visit.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  validate(wrap(data, '') as object);
  const unknown: string[] = [];
  for (const visit of visits.values()) {
    if (visit.enumerated) continue;
    for (const key of Object.keys(visit.target)) if (!visit.read.has(key) && !NOT_IN_GENERATED_SCHEMAS.has(key)) unknown.push(`${visit.path}.${key}`.replace(/^\./, ''));
  }
  return unknown.sort();
}
