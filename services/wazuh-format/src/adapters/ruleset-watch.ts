import { watch, type FSWatcher } from 'node:fs';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveRulesetPath } from './ruleset-path.ts';

/**
 * The folders to watch for a ruleset path: a file's folder, or the folder itself with its `decoders/`, `rules/`
 * and `lists/` when they exist. Watching the folder (not the files) is what sees a Kubernetes ConfigMap update,
 * which swaps the `..data` symlink of the mounted folder rather than writing the files.
 */
export function watchedFolders(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const path = resolveRulesetPath(p);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      continue;
    }
    if (isFile) {
      out.add(dirname(path));
      continue;
    }
    out.add(path);
    for (const sub of ['decoders', 'rules', 'lists']) {
      try {
        if (statSync(join(path, sub)).isDirectory()) out.add(join(path, sub));
      } catch {
        // absent: nothing to watch there
      }
    }
  }
  return [...out];
}

export interface RulesetWatch {
  close(): void;
}

/**
 * Calls `changed` once things have been quiet for `debounceMs` after any change under the folders of the
 * ruleset paths, and every `pollMs` (0: never) in case a change was missed (a folder replaced as a whole is no
 * longer watched). What changed is not said: the caller re-reads and compares content hashes.
 */
export function watchRuleset(
  paths: readonly string[],
  options: { debounceMs: number; pollMs: number; changed: () => void; onError?: (folder: string, err: Error) => void },
): RulesetWatch {
  let timer: NodeJS.Timeout | undefined;
  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      options.changed();
    }, options.debounceMs);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const folder of watchedFolders(paths)) {
    try {
      const w = watch(folder, { persistent: false }, kick);
      w.on('error', (err) => options.onError?.(folder, err));
      watchers.push(w);
    } catch (err) {
      options.onError?.(folder, err as Error);
    }
  }
  const poll = options.pollMs > 0 ? setInterval(options.changed, options.pollMs) : undefined;
  poll?.unref();
  return {
    close() {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}
