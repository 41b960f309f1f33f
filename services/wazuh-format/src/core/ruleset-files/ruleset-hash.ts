import { createHash } from 'node:crypto';

/**
 * The content hash of a loaded ruleset: SHA-256 over every file's name (relative to its ruleset path, or its base
 * name) and text, in the order given, shortened to 16 hex digits. Two replicas that read the same files report the
 * same hash, wherever the files are mounted; any change to a name or a byte gives another.
 */
export function rulesetHash(files: ReadonlyArray<{ name: string; text: string }>): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f.name);
    h.update('\0');
    h.update(f.text);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}
