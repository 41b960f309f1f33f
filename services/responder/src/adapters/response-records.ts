import { Kvm, type KV } from '@nats-io/kv';
import { KV_BUCKETS, streamName, VigilError, type ArCommand, type Bus } from '@vigil/common';
import type { NatsConnection } from '@nats-io/transport-node';

/** What the responder records of a command it sent (bucket HIDS_RESPONSES, key `<agent>.<n>`), for `vigil responses`. */
export interface ResponseRecord {
  command: ArCommand;
  sentAt: string;
  /** When the collector reverts it (absent: never). */
  until?: string;
}

/** A KV key for a command id: the agent, then the id with the characters keys refuse replaced. */
export function recordKey(command: Pick<ArCommand, 'agent' | 'id'>): string {
  return `${command.agent}.${command.id.replace(/[^A-Za-z0-9_=-]/g, '_')}`;
}

export async function openResponseRecords(nc: NatsConnection, subjectPrefix: string, replicas: number): Promise<KV> {
  try {
    return await new Kvm(nc).create(streamName(subjectPrefix, KV_BUCKETS.responses), { history: 1, replicas, ttl: 30 * 24 * 3600 * 1000 });
  } catch (cause) {
    throw new VigilError('NATS_UNAVAILABLE', `cannot open the key-value bucket ${KV_BUCKETS.responses}: ${(cause as Error).message}`, { cause, temporary: true });
  }
}

export async function recordResponses(kv: KV, commands: readonly ArCommand[], now: number): Promise<void> {
  await Promise.all(
    commands.map((command) => {
      const record: ResponseRecord = {
        command,
        sentAt: new Date(now).toISOString(),
        ...(command.timeoutSeconds > 0 ? { until: new Date(now + command.timeoutSeconds * 1000).toISOString() } : {}),
      };
      return kv.put(recordKey(command), JSON.stringify(record));
    }),
  );
}

/** Every record in the bucket (optionally of one agent), oldest first. */
export async function readResponseRecords(kv: KV, agent?: string): Promise<ResponseRecord[]> {
  const out: ResponseRecord[] = [];
  const keys = await kv.keys(agent ? `${agent}.>` : '>');
  for await (const key of keys) {
    const entry = await kv.get(key);
    if (!entry || entry.operation !== 'PUT') continue;
    try {
      out.push(JSON.parse(entry.string()) as ResponseRecord);
    } catch {
      // a record we cannot read is skipped
    }
  }
  return out.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

export async function openRecordsOnBus(bus: Bus): Promise<KV> {
  return await openResponseRecords(bus.nc, bus.config.subjectPrefix, bus.config.streams.replicas);
}
