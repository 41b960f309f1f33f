import type { JetStreamClient } from '@nats-io/jetstream';
import { errorMessage, type Logger, type RawEvent, type Subjects } from '@vigil/common';

/**
 * Publishes raw events to JetStream and waits until every one is stored. Each is sent with its event id as
 * Nats-Msg-Id, so a batch re-sent after a failure or a crash is stored once. Failures are retried with back-off
 * until they succeed or the publisher is stopped: the source file is the spool, and its offset only advances
 * once the whole batch is stored.
 */
export class RawPublisher {
  private stopped = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
    private readonly logger: Logger,
    private readonly window = 1000,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  /** Resolves true once all events are stored, false if stopped first. */
  async publishAll(events: readonly RawEvent[]): Promise<boolean> {
    let pending = events.map((event) => ({ event, data: JSON.stringify(event) }));
    let attempt = 0;
    while (pending.length > 0) {
      const failed: typeof pending = [];
      let lastError: unknown;
      for (let i = 0; i < pending.length; i += this.window) {
        const slice = pending.slice(i, i + this.window);
        const results = await Promise.allSettled(
          slice.map((p) =>
            this.js.publish(this.subjects.raw(p.event.agent.id, p.event.kind), p.data, { msgID: p.event.id, timeout: 5000 }),
          ),
        );
        results.forEach((r, j) => {
          if (r.status === 'rejected') {
            failed.push(slice[j] as (typeof pending)[number]);
            lastError = r.reason;
          }
        });
      }
      pending = failed;
      if (pending.length === 0) return true;
      if (this.stopped) return false;
      attempt++;
      const delay = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
      this.logger.warn({ failed: pending.length, attempt, delay, err: errorMessage(lastError) }, 'publish failed; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
    return true;
  }
}
