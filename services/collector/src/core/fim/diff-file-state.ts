import { CHANGED_ATTRIBUTE_NAMES, type FileState } from './file-state.ts';

export type FimEventType = 'added' | 'modified' | 'deleted';

/** One change of one file, before it is shaped as a Wazuh `syscheck` object. */
export interface FileChange {
  path: string;
  event: FimEventType;
  before: FileState | undefined;
  after: FileState | undefined;
  /** Wazuh's names (`size`, `permission`, `uid`, `user_name`, ..., `sha256`); empty for added and deleted. */
  changedAttributes: string[];
}

/**
 * Compares the baseline state of a path with its state now. `undefined` on either side means the file was not
 * there. Returns undefined when nothing that is checked changed. Only attributes present on both sides are
 * compared, so a check switched off (absent attribute) never reports a change.
 */
export function diffFileState(before: FileState | undefined, after: FileState | undefined): FileChange | undefined {
  if (!before && !after) return undefined;
  if (!before) return { path: (after as FileState).path, event: 'added', before: undefined, after, changedAttributes: [] };
  if (!after) return { path: before.path, event: 'deleted', before, after: undefined, changedAttributes: [] };
  const changed: string[] = [];
  for (const [key, name] of CHANGED_ATTRIBUTE_NAMES) {
    const b = before[key];
    const a = after[key];
    if (b !== undefined && a !== undefined && b !== a) changed.push(name);
  }
  if (changed.length === 0) return undefined;
  return { path: after.path, event: 'modified', before, after, changedAttributes: changed };
}
