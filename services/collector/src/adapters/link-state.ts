import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Whether the NATS connection is up, from its status events. While it is down the publisher waits instead of
 * re-sending into the client's reconnect buffer, which would grow for as long as the outage lasts.
 */
export class LinkState {
  private up = true;
  private waiters: Array<() => void> = [];
  private readonly iterator: AsyncIterable<{ type: string }> & { stop?: () => void };

  constructor(nc: NatsConnection) {
    const iterator = nc.status() as AsyncIterable<{ type: string }> & { stop?: () => void };
    this.iterator = iterator;
    void (async () => {
      for await (const status of iterator) {
        if (status.type === 'disconnect') this.up = false;
        else if (status.type === 'reconnect') this.setUp();
      }
    })();
  }

  isUp(): boolean {
    return this.up;
  }

  /** Resolves when the connection is up again, or after `maxMs` (whichever comes first). */
  async waitUp(maxMs: number): Promise<void> {
    if (this.up) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, maxMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /** Wakes every waiter (on reconnect, or when the publisher stops). */
  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  close(): void {
    this.iterator.stop?.();
    this.wake();
  }

  private setUp(): void {
    this.up = true;
    this.wake();
  }
}
