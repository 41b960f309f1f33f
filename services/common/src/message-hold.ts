import type { JsMsg } from '@nats-io/jetstream';

/** The hold back-off: `firstMs` doubling per round, at most 30 s. */
export function holdDelay(firstMs: number, round: number): number {
  return Math.min(30_000, firstMs * 2 ** Math.max(0, round - 1));
}

/**
 * Keeps messages a stage cannot finish yet (a full stream downstream, a full disk) without burning their
 * deliveries: while held, JetStream is told they are still being worked on (`working()`, at least three times per
 * ack wait), so they are neither redelivered nor sent to the DLQ, and stay in the stream. `stop()` ends any hold at
 * once (the stage then naks what it holds).
 */
export class MessageHold {
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly heartbeatMs: number;

  constructor(ackWaitSeconds: number) {
    this.heartbeatMs = Math.max(50, (ackWaitSeconds * 1000) / 3);
  }

  get stopping(): boolean {
    return this.stopped;
  }

  /** Waits `ms` with the messages kept alive; resolves false if stopped meanwhile. */
  async hold(messages: readonly JsMsg[], ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) {
      for (const m of messages) m.working();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(this.heartbeatMs, until - Date.now()));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return !this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}

/** Logs a recurring condition at most once per `everyMs` (a clear error once a minute, not once per retry). */
export class ThrottledLog {
  private last = -Infinity;
  private suppressed = 0;

  constructor(private readonly everyMs = 60_000) {}

  /** Calls `log` with how many were suppressed since the last one, when the period has passed. */
  maybe(log: (suppressed: number) => void, now = Date.now()): void {
    if (now - this.last < this.everyMs) {
      this.suppressed++;
      return;
    }
    log(this.suppressed);
    this.last = now;
    this.suppressed = 0;
  }

  /** The condition ended: the next occurrence is logged at once. */
  reset(): void {
    this.last = -Infinity;
    this.suppressed = 0;
  }
}
