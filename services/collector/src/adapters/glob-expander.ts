import { isAbsolute, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { globPattern } from '../core/glob-pattern.ts';

/**
 * The regular files a glob matches now (sorted, absolute, through symbolic links as named). A segment without glob
 * characters is taken literally; the syntax is {@link globPattern}'s. A directory that vanishes or cannot be read
 * while it is walked matches nothing.
 */
export function expandGlob(pattern: string): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(pattern);
  return globSync(globPattern(absolute), {
    cwd: '/',
    absolute: true,
    dot: true,
    extglob: false,
    expandDirectories: false,
    onlyFiles: true,
    followSymbolicLinks: true,
  }).sort();
}
