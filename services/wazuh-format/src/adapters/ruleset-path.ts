import { resolve } from 'node:path';

/** The project's own ruleset (`ruleset/` at the repository root): what `builtin` stands for. */
export const BUILTIN_RULESET = resolve(import.meta.dirname, '../../../../ruleset');

/** Resolves `builtin` to the project's ruleset folder. */
export function resolveRulesetPath(path: string): string {
  return path === 'builtin' ? BUILTIN_RULESET : path;
}
