import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServer, startNatsServer, type LocalNatsServer } from '../local-nats-server.ts';

/**
 * A real nats-server with JetStream for a test: free loopback port, temporary store directory, removed after.
 * Tests call `skipReason()` first: without nats-server they are skipped with that printed reason.
 */
export function natsSkipReason(): string | undefined {
  return findNatsServer() ? undefined : 'nats-server is not installed (apt-get install -y nats-server)';
}

export interface NatsFixture extends LocalNatsServer {
  dispose(): Promise<void>;
}

export async function startTestNats(): Promise<NatsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-nats-'));
  const server = await startNatsServer({ storeDir: join(dir, 'js') });
  return Object.assign(server, {
    async dispose() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
