import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';

/** Whether some subject matches both subject filters (`*` one token, `>` the rest). */
export function subjectsIntersect(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '>' || q === '>') return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return p === q;
    if (p !== '*' && q !== '*' && p !== q) return false;
  }
}

/** A durable consumer as trimming sees it: its filters and the stream sequence below which it acked everything. */
export interface ConsumedUpTo {
  filters: string[];
  /** Every message matching the filters with a sequence ≤ this is acknowledged. */
  ackFloor: number;
}

/**
 * The purges that remove what every durable consumer has acknowledged: for each filter of a durable, the messages
 * on it below the lowest ack floor of the durables whose filters overlap it. Pure, for the test.
 */
export function consumedPurges(streamSubjects: readonly string[], consumers: readonly ConsumedUpTo[]): Array<{ filter: string; seq: number }> {
  const filters = new Set<string>();
  for (const c of consumers) for (const f of c.filters.length > 0 ? c.filters : streamSubjects) filters.add(f);
  const purges: Array<{ filter: string; seq: number }> = [];
  for (const filter of filters) {
    let floor = Infinity;
    for (const c of consumers) {
      const own = c.filters.length > 0 ? c.filters : streamSubjects;
      if (own.some((f) => subjectsIntersect(f, filter))) floor = Math.min(floor, c.ackFloor);
    }
    if (floor > 0 && Number.isFinite(floor)) purges.push({ filter, seq: floor + 1 });
  }
  return purges;
}

/**
 * A durable's ack floor for trimming. A durable with nothing pending and nothing unacknowledged has acknowledged
 * every message of its filter up to the stream's last sequence as read before its info (`lastSeq`), even when its
 * own ack floor is lower: a narrow filter (the vulnerability detector's `hids.raw.*.inventory`) sees no message
 * of the others, and its floor stays at its last ack, which would hold back the trim of every wider filter.
 */
export function consumedUpTo(info: Pick<ConsumerInfo, 'config' | 'ack_floor' | 'num_pending' | 'num_ack_pending'>, lastSeq = 0): ConsumedUpTo {
  const config = info.config as ConsumerInfo['config'] & { filter_subjects?: string[] };
  const filters = config.filter_subjects?.length ? config.filter_subjects : config.filter_subject ? [config.filter_subject] : [];
  const idle = info.num_pending === 0 && info.num_ack_pending === 0;
  return { filters, ackFloor: idle ? Math.max(info.ack_floor.stream_seq, lastSeq) : info.ack_floor.stream_seq };
}

/**
 * Removes from a stream the messages every durable consumer has acknowledged, so that a stream which refuses new
 * messages at its budget (discard new) makes room as its consumers catch up. Ephemeral consumers (readers such as
 * `vigil dlq`) do not hold messages back; a stream without a durable consumer is left alone. Returns how many
 * messages were removed.
 */
export async function trimConsumed(jsm: JetStreamManager, stream: string): Promise<number> {
  const info = await jsm.streams.info(stream);
  const durables: ConsumedUpTo[] = [];
  for await (const c of jsm.consumers.list(stream)) if (c.config.durable_name) durables.push(consumedUpTo(c, info.state.last_seq));
  if (durables.length === 0) return 0;
  let purged = 0;
  for (const p of consumedPurges(info.config.subjects ?? [], durables)) {
    if (p.seq <= info.state.first_seq) continue;
    purged += (await jsm.streams.purge(stream, { filter: p.filter, seq: p.seq })).purged;
  }
  return purged;
}
