import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs commands (argv, no shell) behind an optional prefix, e.g. `ip netns exec <ns>` in tests. */
export interface CommandRunner {
  run(argv: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
  /** Spawns a process for a conversation on its stdin/stdout (custom scripts). */
  spawn(argv: readonly string[]): ReturnType<typeof spawn>;
}

export function commandRunner(prefix: readonly string[] = []): CommandRunner {
  const full = (argv: readonly string[]) => [...prefix, ...argv];
  return {
    run(argv, options = {}) {
      return new Promise((resolve) => {
        const [file, ...args] = full(argv) as [string, ...string[]];
        const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
        child.on('error', (err) => {
          clearTimeout(timer);
          resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` });
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: signal ? `${stderr}killed by ${signal}` : stderr });
        });
        child.stdin.on('error', () => {});
        child.stdin.end(options.input ?? '');
      });
    },
    spawn(argv) {
      const [file, ...args] = full(argv) as [string, ...string[]];
      return spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    },
  };
}
