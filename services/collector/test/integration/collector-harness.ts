import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, createLogger, loadConfig, NatsConfig, type Bus, type RawEvent } from '@vigil/common';
import { CollectorConfig } from '../../src/config.ts';
import { startCollector, type CollectorService, type SourceFactory } from '../../src/collector-service.ts';

export const AGENT = { id: 'agent-t1', name: 'test-host', ip: '10.9.8.7' };

export interface Harness {
  dir: string;
  bus: Bus;
  collector: CollectorService;
  config: CollectorConfig;
  stop(): Promise<void>;
}

/** A collector on a real NATS connection, with a temporary state directory and fast polling. */
export async function startHarness(options: {
  natsUrl: string;
  collector: Record<string, unknown>;
  dir?: string;
  sources?: SourceFactory[];
  /** Agent id (each test its own: JetStream drops a re-used id within its duplicate window). */
  agentId?: string;
}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vigil-collector-'));
  const logger = createLogger({ level: process.env['VIGIL_TEST_LOG'] ?? 'silent' });
  const nats = loadConfig(NatsConfig, { document: { url: options.natsUrl } });
  const config = loadConfig(CollectorConfig, {
    document: { stateDir: join(dir, 'state'), hostLogs: false, pollIntervalMs: 20, registry: { enabled: false }, fim: { enabled: false }, sca: { enabled: false }, inventory: { enabled: false }, ...options.collector },
  });
  const bus = await connectBus(nats, logger, 'collector-test');
  const agent = { ...AGENT, id: options.agentId ?? AGENT.id };
  const collector = await startCollector({ config, agent, bus, logger, ...(options.sources ? { sources: options.sources } : {}) });
  await collector.ready;
  return {
    dir,
    bus,
    collector,
    config,
    async stop() {
      await collector.stop();
      await bus.nc.close();
    },
  };
}

/** How many messages HIDS_RAW holds. */
export async function rawCount(bus: Bus): Promise<number> {
  return (await bus.jsm.streams.info(bus.streams.raw)).state.messages;
}

/** Every raw event in HIDS_RAW, in stream order (an ordered consumer, read to the end). */
export async function readRaw(bus: Bus): Promise<RawEvent[]> {
  const total = await rawCount(bus);
  const consumer = await bus.js.consumers.get(bus.streams.raw);
  const out: RawEvent[] = [];
  while (out.length < total) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
    let got = 0;
    for await (const m of batch) {
      out.push(m.json<RawEvent>());
      got++;
    }
    if (got === 0) break;
  }
  return out;
}
