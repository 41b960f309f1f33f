import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandOutcome, CommandRunner, ScaHost } from './host-access.ts';
import { ProcTable } from './process-table.ts';
import { RootFileSystem } from './root-file-system.ts';

/**
 * Test support: fixture root file systems built as real files in a temporary directory, and a host made of them.
 * Commands are answered from a table (their real execution is covered by command-runner.test.ts).
 */

/** A file's text, a symbolic link, or an (empty) directory, by host path. */
export type FixtureEntry = string | { link: string } | { dir: true };

export interface FixtureRoot {
  path: string;
  /** Adds or replaces entries. */
  write(tree: Record<string, FixtureEntry>): void;
  remove(hostPath: string): void;
  cleanup(): void;
}

export function makeRoot(tree: Record<string, FixtureEntry> = {}): FixtureRoot {
  const path = mkdtempSync(join(tmpdir(), 'vigil-sca-root-'));
  const write = (entries: Record<string, FixtureEntry>) => {
    for (const [hostPath, entry] of Object.entries(entries)) {
      const target = join(path, hostPath);
      rmSync(target, { recursive: true, force: true });
      if (typeof entry === 'string') {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, entry);
      } else if ('link' in entry) {
        mkdirSync(dirname(target), { recursive: true });
        symlinkSync(entry.link, target);
      } else mkdirSync(target, { recursive: true });
    }
  };
  write(tree);
  return {
    path,
    write,
    remove: (hostPath) => rmSync(join(path, hostPath), { recursive: true, force: true }),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Answers commands from a table: a string is the output of a command that exits 0. Unknown commands fail as not found. */
export class TableCommands implements CommandRunner {
  readonly ran: string[] = [];
  constructor(public table: Record<string, string | CommandOutcome> = {}) {}

  async run(command: string): Promise<CommandOutcome> {
    this.ran.push(command);
    const answer = this.table[command];
    if (answer === undefined) return { kind: 'failed', message: `Invalid path or wrong permissions to run command '${command}' (exit code 127)` };
    return typeof answer === 'string' ? { kind: 'exited', exitCode: 0, output: answer } : answer;
  }
}

/** A host whose files (and /proc) are the fixture root. */
export function fixtureHost(root: FixtureRoot, commands: Record<string, string | CommandOutcome> = {}): ScaHost & { commands: TableCommands } {
  return { fs: new RootFileSystem(root.path), commands: new TableCommands(commands), processes: new ProcTable(join(root.path, 'proc')), platform: 'linux' };
}
