import type { AgentRef } from '@vigil/common';

/** An agent registry entry (the value under the agent id in the registry bucket), as JSON. */
export interface AgentRecord {
  id: string;
  name: string;
  ip?: string;
  version: string;
  os: { name: string; version?: string; platform: string; arch: string; kernel: string; hostname: string };
  first_seen: string;
  last_keepalive: string;
  status: 'active' | 'stopped';
}

/** The entry to write now: the previous entry's first_seen is kept, everything else is current. */
export function agentRecord(
  agent: AgentRef,
  host: { version: string; os: AgentRecord['os'] },
  previous: Partial<AgentRecord> | undefined,
  now: Date,
  status: AgentRecord['status'] = 'active',
): AgentRecord {
  return {
    id: agent.id,
    name: agent.name,
    ...(agent.ip ? { ip: agent.ip } : {}),
    version: host.version,
    os: host.os,
    first_seen: typeof previous?.first_seen === 'string' ? previous.first_seen : now.toISOString(),
    last_keepalive: now.toISOString(),
    status,
  };
}

/** Seconds since the last keepalive, to answer "which hosts are silent, and since when". */
export function silentForSeconds(record: Pick<AgentRecord, 'last_keepalive'>, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(record.last_keepalive)) / 1000));
}
