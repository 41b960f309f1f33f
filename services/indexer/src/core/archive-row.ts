import type { DecodedEvent } from '@vigil/common';

/** A decoded event as kept in the archives table (Wazuh's `logall`): indexed columns plus the whole JSON. */
export interface ArchiveRow {
  agent_id: string;
  event_id: string;
  epoch_ms: number;
  kind: string;
  location: string;
  decoder: string;
  full_log: string;
  json: string;
}

export function toArchiveRow(event: DecodedEvent): ArchiveRow {
  return {
    agent_id: event.agent.id,
    event_id: event.id,
    epoch_ms: Date.parse(event.collectedAt),
    kind: event.kind,
    location: event.location,
    decoder: event.decoder?.name ?? '',
    full_log: event.full_log,
    json: JSON.stringify(event),
  };
}
