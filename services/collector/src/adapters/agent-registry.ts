import { readFileSync } from 'node:fs';
import { arch, hostname, platform, release } from 'node:os';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage, KV_BUCKETS, streamName, type AgentRef, type Logger } from '@vigil/common';
import { agentRecord, type AgentRecord } from '../core/agent-record.ts';

export const COLLECTOR_VERSION = '0.1.0';

function osInfo(): AgentRecord['os'] {
  let name = platform() as string;
  let version: string | undefined;
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    name = /^NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? name;
    version = /^VERSION_ID="?([^"\n]*)"?/m.exec(text)?.[1];
  } catch {
    // not Linux, or no os-release: the platform name will do
  }
  return { name, ...(version ? { version } : {}), platform: platform(), arch: arch(), kernel: release(), hostname: hostname() };
}

/** Opens (creating if needed) the agent registry bucket. */
export async function openAgentRegistry(nc: NatsConnection, subjectPrefix = 'hids', replicas = 1): Promise<KV> {
  return await new Kvm(nc).create(streamName(subjectPrefix, KV_BUCKETS.agents), { history: 1, replicas });
}

/**
 * Announces the agent in the registry and refreshes its entry every keepalive interval. NATS being down is not
 * an error here: the next keepalive tries again. On stop the entry is marked `stopped`.
 */
export function startAgentRegistration(options: {
  nc: NatsConnection;
  agent: AgentRef;
  logger: Logger;
  keepaliveSeconds: number;
  version?: string | undefined;
  subjectPrefix?: string;
  /** Replicas of the bucket: the streams' replica count (3 in production clusters). */
  replicas?: number;
}): { stop(): Promise<void>; announced: Promise<void> } {
  const { nc, agent, logger } = options;
  const host = { version: options.version ?? COLLECTOR_VERSION, os: osInfo() };
  let kv: KV | undefined;
  let previous: Partial<AgentRecord> | undefined;
  let failing = false;
  const beat = async (status: AgentRecord['status'] = 'active') => {
    try {
      kv ??= await openAgentRegistry(nc, options.subjectPrefix, options.replicas);
      if (!previous) {
        const entry = await kv.get(agent.id);
        previous = entry && entry.operation === 'PUT' ? (entry.json() as Partial<AgentRecord>) : {};
      }
      const record = agentRecord(agent, host, previous, new Date(), status);
      await kv.put(agent.id, JSON.stringify(record));
      previous = record;
      if (failing) logger.info('agent registry reachable again');
      failing = false;
    } catch (err) {
      if (!failing) logger.warn({ err: errorMessage(err) }, 'cannot update the agent registry; will retry at the next keepalive');
      failing = true;
    }
  };
  const announced = beat();
  const timer = setInterval(() => void beat(), options.keepaliveSeconds * 1000);
  timer.unref();
  return {
    announced,
    async stop() {
      clearInterval(timer);
      await announced;
      if (!nc.isClosed()) await Promise.race([beat('stopped'), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}
