import type { JsMsg } from '@nats-io/jetstream';

/**
 * Messages a stage holds past its batch handler (a notifier's fold window, a rate limit, a retry). Each is kept in
 * progress with `working()` every `heartbeatMs` (a third of the ack wait), so the server does not redeliver it while
 * it is held. The timer runs only while something is held.
 */
export class HeldSet {
  readonly #messages = new Set<JsMsg>();
  readonly #heartbeatMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(heartbeatMs: number) {
    this.#heartbeatMs = heartbeatMs;
  }

  get size(): number {
    return this.#messages.size;
  }

  has(msg: JsMsg): boolean {
    return this.#messages.has(msg);
  }

  add(msg: JsMsg): void {
    this.#messages.add(msg);
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      for (const m of this.#messages) {
        try {
          m.working();
        } catch {
          // The connection is closing: the server redelivers the message after its ack wait.
        }
      }
    }, this.#heartbeatMs);
    this.#timer.unref();
  }

  delete(msg: JsMsg): void {
    this.#messages.delete(msg);
    if (this.#messages.size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** A third of the ack wait, at least 100 ms: how often a held message is said to be in progress. */
export function heartbeatInterval(ackWaitSeconds: number): number {
  return Math.max(100, (ackWaitSeconds * 1000) / 3);
}
