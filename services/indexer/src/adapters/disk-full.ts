import type { JsMsg } from '@nats-io/jetstream';
import { ACK, holdDelay, VigilError, type Logger, type MessageHold, type Outcome, type ThrottledLog } from '@vigil/common';
import type { ParsedBatch } from './message-batch.ts';

/** Whether a write failed because the file system is full (SQLite's SQLITE_FULL, or ENOSPC). */
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_WRITE' && /ENOSPC|no space/i.test(String(e?.message))) return true;
  return /database or disk is full|ENOSPC|no space left on device/i.test(typeof e?.message === 'string' ? e.message : '');
}

/**
 * Writes the valid values of a batch in one transaction and acks them after the commit. When the disk is full the
 * batch is held (its messages stay in the stream, kept from redelivery) and written again with back-off (1 s
 * doubling to 30 s) until space returns; a DISK_FULL error is logged once a minute, and the recovery once. Any other
 * failure is a temporary SINK_FAILED: the messages are nak-ed with the consumer loop's back-off.
 */
export async function commitHoldingOnFullDisk<T>(options: {
  batch: ParsedBatch<T>;
  messages: readonly JsMsg[];
  write: (values: T[]) => void;
  what: string;
  path: string;
  logger: Logger;
  hold: MessageHold;
  fullLog: ThrottledLog;
  firstDelayMs?: number;
}): Promise<Outcome[]> {
  const { batch, write, what, logger, hold, fullLog } = options;
  const { outcomes, values, index } = batch;
  let since: number | undefined;
  for (let round = 1; ; round++) {
    try {
      write(values);
      for (const i of index) outcomes[i] = ACK;
      if (since !== undefined) {
        fullLog.reset();
        logger.info({ path: options.path, heldMs: Date.now() - since, rows: values.length }, `${what} resumed: there is space on the disk again`);
      }
      return outcomes;
    } catch (cause) {
      if (!isDiskFull(cause) || hold.stopping) {
        const error = new VigilError(isDiskFull(cause) ? 'DISK_FULL' : 'SINK_FAILED', `${what} failed: ${(cause as Error).message}`, { cause, temporary: true });
        logger.error({ err: error }, `${what} failed`);
        for (const i of index) outcomes[i] = { kind: 'retry', error };
        return outcomes;
      }
      since ??= Date.now();
      const delay = holdDelay(options.firstDelayMs ?? 1000, round);
      const error = new VigilError('DISK_FULL', `${what} failed: the disk holding ${options.path} is full (${(cause as Error).message})`, {
        cause,
        temporary: true,
        details: { path: options.path },
      });
      fullLog.maybe((suppressed) =>
        logger.error(
          { err: error, code: error.code, path: options.path, held: values.length, retryInMs: delay, failedWrites: suppressed + 1 },
          `${what}: the disk is full; the alerts stay in the stream and indexing resumes by itself when space returns`,
        ),
      );
      if (!(await hold.hold(options.messages, delay))) {
        for (const i of index) outcomes[i] = { kind: 'retry', error };
        return outcomes;
      }
    }
  }
}
