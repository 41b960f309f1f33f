import { connectBus, type Logger } from '@vigil/common';
import { openAgentRegistry, silentForSeconds, type AgentRecord } from '@vigil/collector';
import type { VigilConfig } from '../config.ts';

export interface AgentsOptions {
  json?: boolean | undefined;
}

/** One line per agent: which hosts report, their version and OS, and since when a silent one has been silent. */
export function formatAgent(record: AgentRecord, now: Date, keepaliveSeconds: number): string {
  const silent = silentForSeconds(record, now);
  // Three missed keepalives make an agent silent (Wazuh calls it disconnected).
  const state = record.status === 'stopped' ? `stopped since ${record.last_keepalive}` : silent > 3 * keepaliveSeconds ? `SILENT since ${record.last_keepalive} (${silent} s)` : 'active';
  const os = [record.os.name, record.os.version].filter(Boolean).join(' ');
  return `${record.name} (${record.id})  ${record.ip ?? '-'}  vigil ${record.version}  ${os}  first seen ${record.first_seen}  ${state}`;
}

/** `vigil agents`: the agent registry (JetStream key-value bucket) the collectors announce themselves in. */
export async function agentsCommand(config: VigilConfig, logger: Logger, options: AgentsOptions, print: (line: string) => void, now = new Date()): Promise<number> {
  const bus = await connectBus(config.nats, logger, 'vigil-agents');
  try {
    const kv = await openAgentRegistry(bus.nc, config.nats.subjectPrefix, config.nats.streams.replicas);
    const records: AgentRecord[] = [];
    for await (const key of await kv.keys()) {
      const entry = await kv.get(key);
      if (entry && entry.operation === 'PUT') records.push(entry.json() as AgentRecord);
    }
    records.sort((a, b) => a.name.localeCompare(b.name));
    if (options.json) {
      for (const r of records) print(JSON.stringify({ ...r, silent_seconds: silentForSeconds(r, now) }));
    } else if (records.length === 0) {
      print('no agent has announced itself yet');
    } else {
      for (const r of records) print(formatAgent(r, now, config.collector.registry.keepaliveSeconds));
    }
    return 0;
  } finally {
    await bus.nc.close();
  }
}
