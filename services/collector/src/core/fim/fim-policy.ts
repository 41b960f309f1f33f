import type { FimChecks, FimConfig, FimDirectory } from '../../fim-config.ts';
import { effectiveFimDirectories } from './fim-directories.ts';

/** The FIM configuration compiled once: regexes built, paths normalised, each path's directory settings found. */
export interface FimPolicy {
  directories: Array<FimDirectory & { restrictRe: RegExp | undefined }>;
  ignore: string[];
  ignorePatterns: RegExp[];
  nodiff: string[];
  nodiffPatterns: RegExp[];
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

export function compileFimPolicy(
  config: Pick<FimConfig, 'directories' | 'ignore' | 'ignorePatterns' | 'nodiff' | 'nodiffPatterns'> & Partial<Pick<FimConfig, 'replaceDefaults'>>,
): FimPolicy {
  return {
    directories: effectiveFimDirectories({ directories: config.directories, replaceDefaults: config.replaceDefaults ?? false })
      .map((d) => ({ ...d, path: trimSlash(d.path), restrictRe: d.restrict ? new RegExp(d.restrict) : undefined }))
      // The most specific directory wins, as in Wazuh: longest path first.
      .sort((x, y) => y.path.length - x.path.length),
    ignore: config.ignore.map(trimSlash),
    ignorePatterns: config.ignorePatterns.map((p) => new RegExp(p)),
    nodiff: config.nodiff.map(trimSlash),
    nodiffPatterns: config.nodiffPatterns.map((p) => new RegExp(p)),
  };
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** Depth of `path` below `dir` (a file directly in `dir` is at depth 0). */
export function depthBelow(path: string, dir: string): number {
  const rest = path.slice(dir === '/' ? 1 : dir.length + 1);
  return rest.split('/').length - 1;
}

/** The directory entry that monitors `path` (the most specific one), or undefined. */
export function directoryFor(policy: FimPolicy, path: string): FimPolicy['directories'][number] | undefined {
  return policy.directories.find((d) => under(path, d.path));
}

export function isIgnored(policy: FimPolicy, path: string): boolean {
  return policy.ignore.some((i) => under(path, i)) || policy.ignorePatterns.some((re) => re.test(path));
}

/**
 * Whether a file is monitored: under a configured directory within its recursion level, not ignored, and
 * matching `restrict` if set.
 */
export function isMonitored(policy: FimPolicy, path: string): boolean {
  const dir = directoryFor(policy, path);
  if (!dir || path === dir.path || isIgnored(policy, path)) return false;
  if (depthBelow(path, dir.path) > dir.recursionLevel) return false;
  return dir.restrictRe ? dir.restrictRe.test(path) : true;
}

export function isNoDiff(policy: FimPolicy, path: string): boolean {
  return policy.nodiff.some((p) => under(path, p)) || policy.nodiffPatterns.some((re) => re.test(path));
}

export type { FimChecks };
