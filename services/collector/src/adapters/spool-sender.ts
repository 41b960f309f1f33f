import type { Logger } from '@vigil/common';
import { newBucket, takeTokens } from '../core/token-bucket.ts';
import type { RawPublisher } from './raw-publisher.ts';
import type { SpoolStore } from './spool-store.ts';

/**
 * Drains the spool to JetStream in sequence order: reads the oldest events, publishes them (retrying until
 * stored), then removes them. The per-agent rate limit is applied here, so events over it wait on disk.
 */
export function startSpoolSender(options: {
  spool: SpoolStore;
  publisher: RawPublisher;
  logger: Logger;
  batch: number;
  maxEventsPerSecond: number;
  idleMs: number;
}): { stop(): Promise<void>; idle(): boolean } {
  const { spool, publisher, logger } = options;
  let stopping = false;
  let wake: (() => void) | undefined;
  const unsubscribe = spool.onAppend(() => wake?.());
  const bucket = newBucket(options.maxEventsPerSecond, Date.now());
  let idle = true;
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      wake = () => {
        clearTimeout(t);
        r();
      };
    }).finally(() => (wake = undefined));

  const loop = (async () => {
    while (!stopping) {
      let events = spool.peek(options.batch);
      if (events.length === 0) {
        idle = true;
        await sleep(options.idleMs);
        continue;
      }
      idle = false;
      const { granted, waitMs } = takeTokens(bucket, events.length, Date.now());
      if (granted === 0) {
        await new Promise((r) => setTimeout(r, waitMs));
        continue;
      }
      events = events.slice(0, granted);
      let stored = false;
      try {
        stored = await publisher.publishAll(events);
      } catch (err) {
        logger.error({ err }, 'spool sender failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!stored) break; // stopping: the events stay spooled and are sent on the next start
      spool.ack(events);
    }
  })();

  return {
    idle: () => idle && spool.depth().events === 0,
    async stop() {
      stopping = true;
      publisher.stop();
      wake?.();
      await loop;
      unsubscribe();
    },
  };
}
