import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import type { AgentRef } from '@vigil/common';
import type { AgentConfig } from '../config.ts';

function sanitize(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
}

function machineId(): string | undefined {
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (id) return id;
    } catch {
      // not present on this host: try the next source
    }
  }
  return undefined;
}

function primaryIp(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/**
 * The agent's identity: configured, or else the Kubernetes node name / hostname for the name and the machine id
 * (else the name) for the id. Both are stable across restarts of the same host.
 */
export function resolveAgent(config: AgentConfig, env: NodeJS.ProcessEnv = process.env): AgentRef {
  const name = config.name ?? env['NODE_NAME'] ?? hostname();
  const id = config.id ?? sanitize(machineId()?.slice(0, 32) ?? name);
  const ip = config.ip ?? primaryIp();
  return { id, name, ...(ip ? { ip } : {}) };
}
