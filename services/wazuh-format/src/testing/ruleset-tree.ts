import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder holding these files (paths relative to it, folders made as needed); returns its path. */
export function rulesetTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ruleset-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
