import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { VigilError } from './errors.ts';

/** Where Debian installs nats-server, plus whatever is on PATH. */
export function findNatsServer(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const onPath = which.stdout.trim();
  if (which.status === 0 && onPath) return onPath;
  for (const candidate of ['/usr/bin/nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

/**
 * Returns the nats-server binary, installing Debian's package with apt when it is absent and we are root.
 * Otherwise fails with a message that says exactly what to install.
 */
export function ensureNatsServer(log: (line: string) => void = () => {}): string {
  const found = findNatsServer();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    log('nats-server is not installed: installing the Debian package nats-server with apt-get; this may take a few minutes (apt output follows)');
    const res = spawnSync('sh', ['-c', 'apt-get install -y nats-server || (apt-get update && apt-get install -y nats-server)'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = res.status === 0 ? findNatsServer() : undefined;
    if (installed) return installed;
  }
  throw new VigilError(
    'NATS_UNAVAILABLE',
    'nats-server is not installed. Install it with `sudo apt-get install -y nats-server` (Debian/Ubuntu), ' +
      'or point Vigil at a running server with NATS_URL=nats://host:4222',
  );
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = tcpConnect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface LocalNatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** The process id of the running nats-server (a new one after restart; undefined once it has exited). */
  readonly pid: number | undefined;
  /** Graceful stop (SIGTERM), waiting for the process to exit. */
  stop(): Promise<void>;
  /** Hard stop (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same port and store directory. */
  restart(): Promise<void>;
}

/** Starts nats-server with JetStream on loopback, storing under storeDir; resolves once it accepts connections. */
export async function startNatsServer(options: {
  storeDir: string;
  port?: number;
  host?: string;
  binary?: string;
  log?: (line: string) => void;
}): Promise<LocalNatsServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const binary = options.binary ?? ensureNatsServer(options.log);
  mkdirSync(options.storeDir, { recursive: true });
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    const proc = spawn(binary, ['-js', '-a', host, '-p', String(port), '-sd', options.storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    proc.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      if (/Server is ready/.test(output) && (await isListening(port, host))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    throw new VigilError('NATS_UNAVAILABLE', `nats-server did not start on ${host}:${port}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
  };

  const waitExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });

  await launch();
  return {
    url: `nats://${host}:${port}`,
    port,
    storeDir: options.storeDir,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    restart: async () => {
      await waitExit('SIGTERM');
      await launch();
    },
  };
}
