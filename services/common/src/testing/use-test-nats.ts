import { after, before } from 'node:test';
import { natsSkipReason, startTestNats, type NatsFixture } from './nats-fixture.ts';

/** What a test file needs to do once its server is up, and to undo before it goes. */
export interface TestNatsHooks {
  /** Runs in the `before` hook right after the server started: connect clients, start consumers and stubs. */
  started?(server: NatsFixture): void | Promise<void>;
  /**
   * Runs in the `after` hook before the server is disposed (also when `started` failed half-way): stop consumers,
   * drain or close clients. Hooks of one kind run in the order they were registered, so teardown that needs the
   * server goes here rather than in an `after` of its own, which would run once the server is gone.
   */
  stopping?(): void | Promise<void>;
}

/** The server of a test file, as `useTestNats` returns it. */
export interface TestNats {
  /** Why the broker tests are skipped (nats-server is not installed), or undefined: pass it as their `skip` option. */
  readonly skip: string | undefined;
  /** The server's URL (`nats://127.0.0.1:<port>`); only inside tests and hooks, once the server started. */
  readonly url: string;
  /** The running server (to stop, kill or restart it); only inside tests and hooks, once it started. */
  server(): NatsFixture;
}

/**
 * Registers the `before` / `after` hooks of a broker test file (or of the suite it is called in): one real
 * nats-server with JetStream on a free loopback port and a temporary store, started before the tests and disposed
 * of after them. Without nats-server nothing is started and `skip` holds the reason.
 *
 * ```ts
 * let bus: Bus;
 * const nats = useTestNats({
 *   started: async (server) => (bus = await testBus(server.url)),
 *   stopping: async () => await bus?.nc.drain(),
 * });
 * test('...', { skip: nats.skip }, async () => { ... nats.url ... });
 * ```
 */
export function useTestNats(hooks: TestNatsHooks = {}): TestNats {
  const skip = natsSkipReason();
  let fixture: NatsFixture | undefined;
  before(async () => {
    if (skip) return;
    fixture = await startTestNats();
    await hooks.started?.(fixture);
  });
  after(async () => {
    if (!fixture) return;
    try {
      await hooks.stopping?.();
    } finally {
      await fixture.dispose();
    }
  });
  const server = (): NatsFixture => {
    if (fixture) return fixture;
    throw new Error(skip ? `no test nats-server: ${skip}` : 'the test nats-server is not started yet: use it inside tests and hooks');
  };
  return {
    skip,
    get url() {
      return server().url;
    },
    server,
  };
}
