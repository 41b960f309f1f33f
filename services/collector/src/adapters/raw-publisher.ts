import { errorMessage, ThrottledLog, VigilError, type BatchPublisher, type Logger, type Subjects } from '@vigil/common';
import type { SpooledEvent } from './spool-store.ts';
import type { LinkState } from './link-state.ts';

/**
 * Publishes spooled events to JetStream and waits until every one is stored. Each is sent with its event id as
 * Nats-Msg-Id, so an event re-sent after a failure, a NATS restart or a crash is stored once (within the
 * stream's duplicate window). Failures are retried with back-off until they succeed or the publisher is stopped.
 * A raw stream at its budget refuses new messages ("maximum bytes exceeded", STREAM_FULL): the events stay in the
 * spool and are sent again, in order, once the decoder has made room; that is logged once a minute.
 */
export class RawPublisher {
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly fullLog = new ThrottledLog();

  constructor(
    private readonly batches: BatchPublisher,
    private readonly subjects: Subjects,
    private readonly agentId: string,
    private readonly logger: Logger,
    private readonly link?: LinkState,
    private readonly window = 1000,
  ) {}

  stop(): void {
    this.stopped = true;
    this.wake?.();
    this.link?.wake();
  }

  /** Resolves true once all events are stored, false if stopped first. */
  async publishAll(events: readonly SpooledEvent[]): Promise<boolean> {
    let pending = events;
    let attempt = 0;
    while (pending.length > 0) {
      // While disconnected, wait for the link rather than queue copies in the client's reconnect buffer.
      while (this.link && !this.link.isUp() && !this.stopped) await this.link.waitUp(5000);
      if (this.stopped) return false;
      const failed: SpooledEvent[] = [];
      let lastError: unknown;
      for (let i = 0; i < pending.length; i += this.window) {
        const slice = pending.slice(i, i + this.window);
        const results = await this.batches.publishAll(slice.map((e) => ({ subject: this.subjects.raw(this.agentId, e.kind), data: e.data, msgId: e.id })));
        results.forEach((r, j) => {
          if (!r.ok) {
            failed.push(slice[j] as SpooledEvent);
            lastError = r.error;
          }
        });
        // After a failure, re-send from the first failed event before going further, to keep the order.
        if (failed.length > 0) {
          failed.push(...pending.slice(i + this.window));
          break;
        }
      }
      // Some were stored (a full stream making room as its consumer catches up): retry soon again.
      if (failed.length < pending.length) attempt = 0;
      pending = failed;
      if (pending.length === 0) {
        this.fullLog.reset();
        return true;
      }
      if (this.stopped) return false;
      attempt++;
      const delay = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
      if (lastError instanceof VigilError && lastError.code === 'STREAM_FULL') {
        this.fullLog.maybe((suppressed) =>
          this.logger.warn({ failed: pending.length, attempt, delay, suppressed }, 'the raw stream is full (its budget, discard new): events stay spooled and are sent once the decoder makes room'),
        );
      } else this.logger.warn({ failed: pending.length, attempt, delay, err: errorMessage(lastError) }, 'publish failed; events stay spooled, retrying');
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = undefined;
    }
    return true;
  }
}
