import type Database from 'better-sqlite3';
import type { AgentRef, EventKind } from '@vigil/common';
import { openHostDatabase } from './host-database.ts';
import { buildEvent, type EventDraft } from '../core/raw-event.ts';

/** One spooled event, serialised once when it is accepted and sent as is. */
export interface SpooledEvent {
  seq: number;
  id: string;
  kind: EventKind;
  data: string;
}

/**
 * The collector's on-disk queue (SQLite, WAL) and everything it must remember with it: the next sequence number
 * and each source's checkpoint (a file's inode and offset, the journal cursor, ...). Accepting events is one
 * transaction that numbers them, stores them and moves the source's checkpoint, so after a crash an event is
 * either spooled with its checkpoint moved past it, or neither: never lost, never read twice under two ids.
 * Events leave the spool only once JetStream has stored them; re-sent ones keep their id (Nats-Msg-Id).
 */
export class SpoolStore {
  readonly path: string;
  private readonly db: Database.Database;
  private nextSeq: number;
  private bytes: number;
  private count: number;
  private readonly listeners = new Set<() => void>();
  private readonly stmt: {
    insert: Database.Statement;
    setMeta: Database.Statement;
    setCheckpoint: Database.Statement;
    getCheckpoint: Database.Statement;
    deleteCheckpoint: Database.Statement;
    peek: Database.Statement;
    ack: Database.Statement;
  };

  constructor(
    path: string,
    private readonly agent: AgentRef,
    private readonly maxBytes: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = path;
    this.db = openHostDatabase(path, 'collector spool', `
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS spool (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS checkpoints (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
    const meta = this.db.prepare("SELECT value FROM meta WHERE key = 'next_seq'").get() as { value: string } | undefined;
    const maxSpooled = (this.db.prepare('SELECT max(seq) AS m FROM spool').get() as { m: number | null }).m;
    if (!meta && maxSpooled === null) {
      // A new spool (first start, or a host whose state was lost) starts its sequence at the current time in
      // microseconds, not at 0: event ids `<agent>:<seq>` must never repeat, or JetStream's duplicate detection
      // would drop new events as copies of old ones sent under the same agent id.
      this.nextSeq = Date.now() * 1000;
      this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_seq', ?)").run(String(this.nextSeq));
    } else {
      this.nextSeq = Math.max(meta ? Number(meta.value) : 0, maxSpooled === null ? 0 : maxSpooled + 1);
    }
    const totals = this.db.prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS b FROM spool').get() as { n: number; b: number };
    this.count = totals.n;
    this.bytes = totals.b;
    this.stmt = {
      insert: this.db.prepare('INSERT INTO spool (seq, kind, data) VALUES (?, ?, ?)'),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      setCheckpoint: this.db.prepare('INSERT INTO checkpoints (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      getCheckpoint: this.db.prepare('SELECT value FROM checkpoints WHERE key = ?'),
      deleteCheckpoint: this.db.prepare('DELETE FROM checkpoints WHERE key = ?'),
      peek: this.db.prepare('SELECT seq, kind, data FROM spool WHERE seq > ? ORDER BY seq LIMIT ?'),
      ack: this.db.prepare('DELETE FROM spool WHERE seq <= ?'),
    };
  }

  /** Whether sources may add more (the spool is under its byte bound). */
  hasRoom(): boolean {
    return this.bytes < this.maxBytes;
  }

  depth(): { events: number; bytes: number } {
    return { events: this.count, bytes: this.bytes };
  }

  /** The sequence number the next accepted event will get. */
  peekNextSeq(): number {
    return this.nextSeq;
  }

  /**
   * Numbers, stores and accepts events, and moves the given checkpoints, in one transaction. Returns the events'
   * first sequence number. A checkpoint set to undefined is removed.
   */
  append(drafts: readonly EventDraft[], checkpoints: Record<string, unknown> = {}): number {
    const first = this.nextSeq;
    const at = this.now();
    let added = 0;
    this.db.transaction(() => {
      let seq = first;
      for (const draft of drafts) {
        const event = buildEvent(this.agent, seq, draft, at);
        const data = JSON.stringify(event);
        this.stmt.insert.run(seq, draft.kind, data);
        added += data.length;
        seq++;
      }
      if (drafts.length > 0) this.stmt.setMeta.run('next_seq', String(seq));
      for (const [key, value] of Object.entries(checkpoints)) {
        if (value === undefined) this.stmt.deleteCheckpoint.run(key);
        else this.stmt.setCheckpoint.run(key, JSON.stringify(value));
      }
    })();
    this.nextSeq = first + drafts.length;
    this.count += drafts.length;
    this.bytes += added;
    if (drafts.length > 0) for (const l of this.listeners) l();
    return first;
  }

  /** Stores events whose sequence numbers were given before (a migrated in-flight batch), keeping their ids. */
  restore(events: ReadonlyArray<{ seq: number; draft: EventDraft }>): void {
    const at = this.now();
    this.db.transaction(() => {
      for (const { seq, draft } of events) {
        const data = JSON.stringify(buildEvent(this.agent, seq, draft, at));
        this.stmt.insert.run(seq, draft.kind, data);
        this.count++;
        this.bytes += data.length;
        this.nextSeq = Math.max(this.nextSeq, seq + 1);
      }
      this.stmt.setMeta.run('next_seq', String(this.nextSeq));
    })();
  }

  /** Sets the next sequence number (never lowers it). */
  advanceSeq(next: number): void {
    if (next <= this.nextSeq) return;
    this.nextSeq = next;
    this.stmt.setMeta.run('next_seq', String(next));
  }

  checkpoint<T>(key: string): T | undefined {
    const row = this.stmt.getCheckpoint.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Moves a checkpoint without spooling anything (e.g. a file read to its end with only empty lines). */
  setCheckpoint(key: string, value: unknown): void {
    this.append([], { [key]: value });
  }

  /** The oldest unsent events after `afterSeq`, in order. */
  peek(limit: number, afterSeq = -1): SpooledEvent[] {
    const rows = this.stmt.peek.all(afterSeq, limit) as Array<{ seq: number; kind: EventKind; data: string }>;
    return rows.map((r) => ({ seq: r.seq, id: `${this.agent.id}:${r.seq}`, kind: r.kind, data: r.data }));
  }

  /** Removes the events stored by JetStream (everything up to and including `seq`). */
  ack(events: readonly SpooledEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1] as SpooledEvent;
    this.stmt.ack.run(last.seq);
    this.count = Math.max(0, this.count - events.length);
    this.bytes = Math.max(0, this.bytes - events.reduce((n, e) => n + e.data.length, 0));
  }

  /** Calls `listener` whenever events are accepted; returns a function that removes it. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }
}
