import type { TSchema } from '@sinclair/typebox';
import { VigilConfig } from './config.ts';
import { ENV_OVERRIDES } from './config.ts';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  default?: unknown;
  description?: string;
  anyOf?: SchemaNode[];
  const?: unknown;
  items?: SchemaNode;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

function yamlScalar(value: unknown): string {
  if (typeof value === 'string') return /^[A-Za-z0-9_./:-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|~|\d.*)$/i.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function choices(node: SchemaNode): string | undefined {
  const literals = node.anyOf?.filter((n) => n.const !== undefined).map((n) => JSON.stringify(n.const));
  return literals && literals.length > 0 ? `one of ${literals.join(', ')}` : undefined;
}

function envFor(path: string): string | undefined {
  return ENV_OVERRIDES.find((o) => o.key === path)?.variable;
}

function render(node: SchemaNode, path: string[], indent: string, out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const dotted = [...path, key].join('.');
    const env = envFor(dotted);
    const notes = [child.description, choices(child), env && !child.description?.includes(env) ? `env ${env}` : undefined].filter(Boolean);
    if (child.type === 'object' && child.properties && child.default === undefined) {
      // An optional section: shown commented out, since an empty mapping would not be valid.
      if (notes.length) out.push(`${indent}# ${notes.join('. ')}`);
      out.push(`${indent}# ${key}:`);
      const inner: string[] = [];
      render(child, [...path, key], `${indent}  `, inner);
      for (const line of inner) out.push(line.replace(/^(\s*)(# )?/, (_m, sp: string) => `${indent}#${sp.slice(indent.length + 1)} `));
      continue;
    }
    if (child.type === 'object' && child.properties) {
      if (notes.length) out.push(`${indent}# ${notes.join('. ')}`);
      out.push(`${indent}${key}:`);
      render(child, [...path, key], `${indent}  `, out);
      continue;
    }
    if (notes.length) out.push(`${indent}# ${notes.join('. ')}`);
    if (child.default === undefined) {
      out.push(`${indent}# ${key}:            (not set)`);
    } else if (Array.isArray(child.default)) {
      if (child.default.length === 0) out.push(`${indent}${key}: []`);
      else {
        out.push(`${indent}${key}:`);
        for (const item of child.default) out.push(`${indent}  - ${typeof item === 'object' ? JSON.stringify(item) : yamlScalar(item)}`);
      }
    } else {
      out.push(`${indent}${key}: ${yamlScalar(child.default)}`);
    }
  }
}

/** config.example.yaml, generated from the configuration schema so it documents every key with its default. */
export function configExample(schema: TSchema = VigilConfig): string {
  const out = [
    '# Vigil configuration: every key with its default. Generated from the schema by',
    '#   node --import tsx scripts/generate-config-example.ts',
    '# Copy to vigil.yaml (or pass --config FILE / VIGIL_CONFIG) and keep only what you change.',
    '# Relative paths under collector.stateDir and indexer.sqlite.path are relative to dataDir.',
    '',
  ];
  render(schema as unknown as SchemaNode, [], '', out);
  return out.join('\n') + '\n';
}
