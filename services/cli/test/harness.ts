import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { dump } from 'js-yaml';
import { loadConfig } from '@vigil/common';
import { VigilConfig } from '../src/config.ts';
import { resolveDataPaths } from '../src/paths.ts';

export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const VIGIL_BIN = join(REPO, 'bin', 'vigil');

/** A stand-in for a Slack incoming webhook: records every POST body. */
export interface WebhookRecorder {
  url: string;
  posts: unknown[];
  close(): Promise<void>;
}

export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const posts: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    posts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The document of a test configuration: fast polling, short ack wait, no host logs. */
export function testConfigDocument(options: { dataDir: string; natsUrl: string; watched: string[]; webhookUrl?: string }): Record<string, unknown> {
  return {
    logLevel: 'warn',
    dataDir: options.dataDir,
    nats: { url: options.natsUrl, consumers: { ackWaitSeconds: 2, retryDelayMs: 200 } },
    pipeline: { partitions: 4, managerName: 'test-manager' },
    agent: { id: 'agent-1', name: 'host-1', ip: '10.1.2.3' },
    collector: { hostLogs: false, pollIntervalMs: 20, files: options.watched.map((path) => ({ path, startAt: 'end' })), sca: { enabled: false }, inventory: { enabled: false }, fim: { enabled: false } },
    notifier: {
      slack: { minLevel: 0, ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}) },
      // One message per alert in these tests: no folding, no rate limit to speak of.
      noise: { foldWindowSeconds: 0, rateLimit: { messages: 1000, perSeconds: 1 } },
    },
  };
}

export function testConfig(document: Record<string, unknown>): VigilConfig {
  return resolveDataPaths(loadConfig(VigilConfig, { document }));
}

export function writeConfigFile(dir: string, document: Record<string, unknown>): string {
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, dump(document));
  return file;
}

/** Runs `bin/vigil <args>` as its own process (as on Kubernetes), with its output kept for failure messages. */
export function spawnVigil(args: string[], env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(VIGIL_BIN, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  return Object.assign(child, { output: () => output });
}

/** Runs `bin/vigil <args>` to its end: its exit code and everything it printed. */
export async function runVigil(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return await new Promise((resolveRun) => {
    execFile(VIGIL_BIN, args, { cwd: REPO, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolveRun({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `bin/vigil <args>` with its stdout piped to a deliberately slow reader: it starts reading only after
 * `startDelayMs`, then pauses `chunkPauseMs` after every chunk, so the pipe stays full while vigil finishes and
 * exits. Resolves with the exit code and everything read, once both have happened.
 */
export async function runVigilIntoSlowReader(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; startDelayMs?: number; chunkPauseMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const child = spawn(VIGIL_BIN, args, { cwd: REPO, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('close', (code) => resolveExit(code)));
  child.stdin.end(options.stdin ?? '');
  let stdout = '';
  await pause(options.startDelayMs ?? 2000);
  for await (const chunk of child.stdout) {
    stdout += (chunk as Buffer).toString();
    await pause(options.chunkPauseMs ?? 20);
  }
  return { code: await exited, stdout, stderr };
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return await new Promise((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.kill(signal);
  });
}

/** A syslog line as sshd writes it. */
export function sshdLine(message: string, host = 'host-1', at = new Date()): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const ts = `${months[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, ' ')} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${ts} ${host} sshd[4242]: ${message}`;
}

/** Alerts indexed in the SQLite file so far (0 while the indexer has not created it), optionally filtered by SQL. */
export function countAlerts(dbPath: string, where = '1 = 1'): number {
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    return (db.prepare(`SELECT count(*) AS n FROM alerts WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
