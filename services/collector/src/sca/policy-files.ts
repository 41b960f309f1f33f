import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VigilError } from '@vigil/common';
import { parsePolicy } from './parse-policy.ts';
import type { ScaPolicy } from './policy-types.ts';

/** Vigil's own policies (ruleset/sca at the root of the repository or package). */
export const BUILTIN_SCA_DIR = fileURLToPath(new URL('../../../../ruleset/sca', import.meta.url));

export interface LoadedPolicies {
  policies: ScaPolicy[];
  /** Files that could not be read or parsed, and duplicated policy ids: each a VigilError naming file:line. */
  errors: VigilError[];
}

/** The policy files named by `entries` (files, folders searched recursively for *.yml / *.yaml, or 'builtin'), sorted. */
export function listPolicyFiles(entries: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(name)) files.push(path);
    }
  };
  for (const entry of entries) {
    const path = entry === 'builtin' ? BUILTIN_SCA_DIR : resolve(entry);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path);
    else files.push(path);
  }
  return files;
}

/** Reads and parses every policy; a bad one is reported and left out, the others still load. */
export function loadPolicyFiles(entries: readonly string[]): LoadedPolicies {
  const policies: ScaPolicy[] = [];
  const errors: VigilError[] = [];
  const byId = new Map<string, string>();
  let files: string[];
  try {
    files = listPolicyFiles(entries);
  } catch (cause) {
    return { policies, errors: [new VigilError('SCA_POLICY_INVALID', `cannot list SCA policies in ${entries.join(', ')}: ${(cause as Error).message}`, { cause })] };
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      errors.push(new VigilError('SCA_POLICY_INVALID', `${file}: cannot read policy: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause }));
      continue;
    }
    try {
      const policy = parsePolicy(file, text);
      const first = byId.get(policy.id);
      if (first !== undefined) {
        errors.push(new VigilError('SCA_POLICY_INVALID', `${file}:1: policy id '${policy.id}' is already used by ${first}; this file is skipped`));
        continue;
      }
      byId.set(policy.id, file);
      policies.push(policy);
    } catch (err) {
      if (err instanceof VigilError) errors.push(err);
      else throw err;
    }
  }
  return { policies, errors };
}
