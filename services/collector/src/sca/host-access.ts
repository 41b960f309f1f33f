/**
 * What the policy engine may ask of the host it assesses. The engine only sees these interfaces; the adapters in
 * root-file-system.ts, command-runner.ts and process-table.ts bind them to a root directory (`/`, or `/host` in a
 * pod), to child processes and to /proc. Tests bind them to fixture directories.
 *
 * Paths are always the host's own absolute paths (`/etc/ssh/sshd_config`); resolving them under the root,
 * including symbolic links, is the adapter's job.
 */

export type Failure = { ok: false; error: string };

export type PathProbe = { ok: true; kind: 'file' | 'directory' | 'other' | 'missing' } | Failure;

export interface DirectoryEntry {
  name: string;
  /** A real directory (not a link to one): the engine descends into it, as Wazuh does. */
  isDirectory: boolean;
}

export interface HostFileSystem {
  /** What a path is after following symbolic links; `missing` when it (or a link's target) does not exist. */
  probe(path: string): Promise<PathProbe>;
  readText(path: string): Promise<{ ok: true; text: string } | Failure>;
  readDirectory(path: string): Promise<{ ok: true; entries: DirectoryEntry[] } | Failure>;
}

export type CommandOutcome =
  /** The command ran to its end (whatever its exit code); `output` is stdout and stderr together. */
  | { kind: 'exited'; exitCode: number; output: string }
  /** Killed at its time limit. */
  | { kind: 'timed-out'; limitMs: number }
  /** Could not be started (not found, not executable, exit code 127) or died from a signal. */
  | { kind: 'failed'; message: string }
  /** Command rules are off for this scan (configuration, or no way to run commands on the assessed host). */
  | { kind: 'disabled'; reason: string };

export interface CommandRunner {
  run(command: string): Promise<CommandOutcome>;
}

export interface ProcessInfo {
  /** The short name (`comm`), what `ps` shows. */
  name: string;
  /** The executable as started (first word of the command line), when known. */
  path?: string;
}

export interface ProcessTable {
  list(): Promise<{ ok: true; processes: ProcessInfo[] } | Failure>;
}

export interface ScaHost {
  fs: HostFileSystem;
  commands: CommandRunner;
  processes: ProcessTable;
  /** 'linux' unless told otherwise: registry rules are not applicable anywhere but Windows. */
  platform?: string;
}
