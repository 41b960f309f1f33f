import { ConfigError } from '@vigil/common';
import type { CollectorConfig } from './config.ts';

/**
 * Checks every regular expression of the collector's configuration at start, so a bad pattern fails loudly with
 * its key (CONFIG_INVALID) instead of when a source first uses it.
 */
export function checkCollectorPatterns(config: CollectorConfig): void {
  const patterns: Array<[string, string | undefined]> = [
    ...config.files.map((f, i): [string, string | undefined] => [`collector.files[${i}].multilineStart`, f.multilineStart]),
    ...config.fim.ignorePatterns.map((p, i): [string, string] => [`collector.fim.ignorePatterns[${i}]`, p]),
    ...config.fim.nodiffPatterns.map((p, i): [string, string] => [`collector.fim.nodiffPatterns[${i}]`, p]),
    ...config.fim.directories.map((d, i): [string, string | undefined] => [`collector.fim.directories[${i}].restrict`, d.restrict]),
  ];
  for (const [key, pattern] of patterns) {
    if (pattern === undefined) continue;
    try {
      new RegExp(pattern);
    } catch (cause) {
      throw new ConfigError(`${key}: '${pattern}' is not a valid regular expression: ${(cause as Error).message}`, { cause });
    }
  }
  config.files.forEach((f, i) => {
    if (f.format === 'multi-line-regex' && !f.multilineStart) throw new ConfigError(`collector.files[${i}].multilineStart is required with format multi-line-regex`);
  });
}
