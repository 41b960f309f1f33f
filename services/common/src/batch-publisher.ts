import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { VigilError } from './errors.ts';

export interface PublishItem {
  subject: string;
  data: string | Uint8Array;
  /** Sent as Nats-Msg-Id: JetStream stores a message with the same id once within its duplicate window. */
  msgId?: string;
}

export type PublishResult = { ok: true; seq: number; duplicate: boolean } | { ok: false; error: VigilError };

interface Pending {
  results: PublishResult[];
  index: number;
  batch: BatchState;
}

interface BatchState {
  remaining: number;
  done: () => void;
}

const decoder = new TextDecoder();

/**
 * The error for a publish JetStream refused. A stream at its byte or message limit with `discard: new` answers
 * "maximum bytes exceeded" (or messages): that is STREAM_FULL, a temporary state the publisher waits out.
 */
export function refusal(error: { code: number; err_code?: number; description: string }): VigilError {
  const full = /maximum (bytes|messages|messages per subject) exceeded/i.test(error.description);
  return new VigilError(full ? 'STREAM_FULL' : 'NATS_UNAVAILABLE', `JetStream refused the message: ${error.description} (${error.code})`, {
    temporary: true,
    details: { jsCode: error.code, ...(error.err_code !== undefined ? { jsErrCode: error.err_code } : {}) },
  });
}

/**
 * Publishes many messages to JetStream and collects their acknowledgements on one reply subscription, the way
 * Go's PublishAsync does. Per message it costs one protocol write and one small JSON parse, where
 * `js.publish()` allocates a request, a timer and two Error objects; one timeout covers the whole batch.
 */
export class BatchPublisher {
  private readonly inbox: string;
  private readonly sub: Subscription;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 10_000,
    inboxPrefix = '_INBOX',
  ) {
    this.inbox = createInbox(inboxPrefix);
    this.sub = nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => this.onReply(err, msg) });
  }

  private onReply(err: Error | null, msg: Msg): void {
    if (err) return; // the subscription itself failed: every pending item times out and is reported
    const id = Number(msg.subject.slice(this.inbox.length + 1));
    const p = this.pending.get(id);
    if (!p) return; // a late ack after its batch timed out
    this.pending.delete(id);
    let result: PublishResult;
    if (msg.headers?.code === 503) {
      result = { ok: false, error: new VigilError('NATS_UNAVAILABLE', 'no JetStream stream answered (no responders)', { temporary: true }) };
    } else {
      try {
        const ack = JSON.parse(decoder.decode(msg.data)) as { seq?: number; duplicate?: boolean; error?: { code: number; err_code?: number; description: string } };
        result = ack.error ? { ok: false, error: refusal(ack.error) } : { ok: true, seq: ack.seq ?? 0, duplicate: ack.duplicate === true };
      } catch (cause) {
        result = { ok: false, error: new VigilError('NATS_UNAVAILABLE', 'unreadable JetStream acknowledgement', { cause, temporary: true }) };
      }
    }
    p.results[p.index] = result;
    if (--p.batch.remaining === 0) p.batch.done();
  }

  /** Publishes every item; resolves with one result per item, in order, once all are acked or the batch timed out. */
  async publishAll(items: readonly PublishItem[]): Promise<PublishResult[]> {
    const results: PublishResult[] = new Array(items.length);
    if (items.length === 0) return results;
    const ids: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      const batch: BatchState = { remaining: items.length, done: resolve };
      items.forEach((item, index) => {
        const id = this.next++;
        ids.push(id);
        this.pending.set(id, { results, index, batch });
        const options: { reply: string; headers?: ReturnType<typeof headers> } = { reply: `${this.inbox}.${id}` };
        if (item.msgId !== undefined) {
          const h = headers();
          h.set('Nats-Msg-Id', item.msgId);
          options.headers = h;
        }
        try {
          this.nc.publish(item.subject, item.data, options);
        } catch (cause) {
          this.pending.delete(id);
          results[index] = { ok: false, error: new VigilError('NATS_UNAVAILABLE', `cannot publish: ${(cause as Error).message}`, { cause, temporary: true }) };
          if (--batch.remaining === 0) resolve();
        }
      });
      timer = setTimeout(resolve, this.timeoutMs);
    });
    clearTimeout(timer);
    for (const [k, id] of ids.entries()) {
      if (this.pending.delete(id) && results[k] === undefined) {
        results[k] = { ok: false, error: new VigilError('NATS_UNAVAILABLE', `no JetStream acknowledgement within ${this.timeoutMs} ms`, { temporary: true }) };
      }
    }
    return results;
  }

  close(): void {
    this.sub.unsubscribe();
  }
}
