import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { globSegmentRegExp, hasGlob } from '../core/glob-pattern.ts';

/** The regular files a glob matches now (sorted). A segment without glob characters is taken literally. */
export function expandGlob(pattern: string): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(pattern);
  const segments = absolute.split(sep).filter((s) => s !== '');
  let bases: string[] = [sep];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlob(segment)) {
        next.push(join(base, segment));
        continue;
      }
      const re = globSegmentRegExp(segment);
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue; // the directory vanished or cannot be read: nothing matches under it now
      }
      for (const name of names) if (re.test(name)) next.push(join(base, name));
    }
    bases = last ? next : next.filter(isDirectory);
  }
  return bases.filter(isFile).sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
