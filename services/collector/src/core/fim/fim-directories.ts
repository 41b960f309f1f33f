import { DEFAULT_FIM_DIRECTORIES, type FimConfig, type FimDirectory } from '../../fim-config.ts';

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * The directories FIM monitors: the defaults plus the user's `directories`, where a user's entry for a default
 * path replaces that default (so `{ path: /etc, realtime: false }` turns realtime off for /etc only); with
 * `replaceDefaults` only the user's. Paths are compared without trailing slashes.
 */
export function effectiveFimDirectories(config: Pick<FimConfig, 'directories' | 'replaceDefaults'>): FimDirectory[] {
  if (config.replaceDefaults) return [...config.directories];
  const mine = new Set(config.directories.map((d) => trimSlash(d.path)));
  return [...DEFAULT_FIM_DIRECTORIES.filter((d) => !mine.has(d.path)), ...config.directories];
}
