import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { ConfigError } from './errors.ts';
import { yamlLocator, type YamlLocator } from './yaml-positions.ts';

/** An override taken from the environment: the variable name and the dotted config key it sets. */
export interface EnvOverride {
  variable: string;
  key: string;
  parse?: (raw: string) => unknown;
}

export interface LoadConfigOptions {
  /** YAML file to read; absent means defaults only. */
  file?: string | undefined;
  /** Already-parsed document, used in place of `file` (tests, embedded defaults). */
  document?: unknown;
  env?: NodeJS.ProcessEnv;
  envOverrides?: readonly EnvOverride[];
}

function describePath(path: string): string {
  return path.replace(/^\//, '').split('/').filter(Boolean).join('.') || '(root)';
}

function knownKeysAt(schema: TSchema, path: string): string[] {
  let node: TSchema | undefined = schema;
  for (const part of path.split('/').filter(Boolean).slice(0, -1)) {
    const props: Record<string, TSchema> | undefined = (node as { properties?: Record<string, TSchema> } | undefined)?.properties;
    node = props?.[part];
  }
  return Object.keys((node as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
}

/** Edit distance between two keys, to suggest the valid key nearest a typo. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function nearestKey(typo: string, known: readonly string[]): string | undefined {
  const scored = known.map((k) => ({ k, d: editDistance(typo.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(typo.length / 3)) ? best.k : undefined;
}

function describeError(schema: TSchema, error: ValueError, file: string, locate: YamlLocator | undefined): string {
  const key = describePath(error.path);
  const line = locate?.(error.path);
  const source = line === undefined ? file : `${file}:${line}`;
  if (/unexpected property|additional propert/i.test(error.message)) {
    const known = knownKeysAt(schema, error.path);
    const near = nearestKey(key.split('.').pop() ?? key, known);
    if (near) return `${source}: unknown key '${key}': did you mean '${near}'?`;
    return `${source}: unknown key '${key}'${known.length ? ` (expected one of: ${known.join(', ')})` : ''}`;
  }
  return `${source}: key '${key}': ${error.message} (got ${JSON.stringify(error.value)})`;
}

function setDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

/** A key written with no value (`agent:` with every sub-key commented out) means "use the defaults". */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/**
 * Reads a YAML configuration, applies environment overrides, fills defaults from the schema and validates it.
 * Unknown keys are rejected with the dotted name of the key, so a typo fails loudly at start-up.
 */
export function loadConfig<S extends TSchema>(schema: S, options: LoadConfigOptions = {}): Static<S> {
  const source = options.file ?? '(defaults)';
  let document: unknown = options.document ?? {};
  let locate: YamlLocator | undefined;
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (cause) {
      throw new ConfigError(`${options.file}: cannot read configuration file`, { cause, code: 'CONFIG_UNREADABLE' });
    }
    try {
      document = loadYaml(text, { filename: options.file }) ?? {};
      locate = yamlLocator(text);
    } catch (cause) {
      const mark = (cause as { mark?: { line: number; column: number } }).mark;
      const where = mark ? `${options.file}:${mark.line + 1}:${mark.column + 1}` : options.file;
      throw new ConfigError(`${where}: invalid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause, code: 'CONFIG_UNREADABLE' });
    }
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(`${source}: the configuration must be a YAML mapping`);
  }
  const merged = dropNulls(structuredClone(document)) as Record<string, unknown>;
  const env = options.env ?? process.env;
  for (const override of options.envOverrides ?? []) {
    const raw = env[override.variable];
    if (raw === undefined || raw === '') continue;
    setDotted(merged, override.key, override.parse ? override.parse(raw) : raw);
  }
  const withDefaults = Value.Default(schema, merged);
  const errors = [...Value.Errors(schema, withDefaults)];
  if (errors.length > 0) {
    // Every problem, one per line (`file:line: key: problem`), so a user fixes the whole file in one pass.
    const lines = [...new Set(errors.map((e) => describeError(schema, e, source, locate)))];
    throw new ConfigError(lines.join('\n'));
  }
  return withDefaults as Static<S>;
}
