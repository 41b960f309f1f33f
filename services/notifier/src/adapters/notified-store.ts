import { Kvm, type KV } from '@nats-io/kv';
import { VigilError, type Bus } from '@vigil/common';

/** The key-value bucket of posted alert ids, shared by every notifier replica. */
export const NOTIFIED_BUCKET = 'hids_notified';

/** Remembers which alerts each destination has posted, so a redelivered alert is never posted twice. */
export interface NotifiedStore {
  has(destination: string, alertId: string): Promise<boolean>;
  record(destination: string, alertIds: readonly string[]): Promise<void>;
}

/** The key of an alert id for a destination: `<destination>.<alert id>` with characters KV keys refuse replaced. */
export function notifiedKey(destination: string, alertId: string): string {
  return `${destination}.${alertId.replace(/[^A-Za-z0-9_=.-]/g, '_').replace(/^\.+|\.+$/g, '_').replace(/\.\.+/g, '.')}`;
}

export async function openNotifiedStore(bus: Bus, ttlHours: number): Promise<NotifiedStore> {
  let kv: KV;
  try {
    kv = await new Kvm(bus.nc).create(NOTIFIED_BUCKET, { ttl: ttlHours * 3600 * 1000, history: 1, replicas: bus.config.streams.replicas });
  } catch (cause) {
    throw new VigilError('NATS_UNAVAILABLE', `cannot open the key-value bucket ${NOTIFIED_BUCKET}: ${(cause as Error).message}`, { cause, temporary: true });
  }
  return {
    async has(destination, alertId) {
      const entry = await kv.get(notifiedKey(destination, alertId));
      return entry !== null && entry.operation === 'PUT';
    },
    async record(destination, alertIds) {
      const at = String(Date.now());
      await Promise.all(alertIds.map((id) => kv.put(notifiedKey(destination, id), at)));
    },
  };
}
