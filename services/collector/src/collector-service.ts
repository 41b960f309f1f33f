import { join, resolve } from 'node:path';
import type { AgentRef, Bus, Logger } from '@vigil/common';
import type { CollectorConfig } from './config.ts';
import { RawPublisher } from './adapters/raw-publisher.ts';
import { LinkState } from './adapters/link-state.ts';
import { SpoolStore } from './adapters/spool-store.ts';
import { startSpoolSender } from './adapters/spool-sender.ts';
import { startSpoolBudget } from './adapters/spool-budget.ts';
import { startActiveResponse } from './adapters/active-response-consumer.ts';
import { checkActiveResponseConfig } from './active-response-config.ts';
import { migrateLegacyState } from './adapters/legacy-state.ts';
import type { EventSource } from './sources/event-source.ts';
import { LogFilesSource } from './sources/log-files.ts';
import { CommandSource } from './sources/command-output.ts';
import { JournalSource } from './sources/journal.ts';
import { FimSource } from './sources/fim-source.ts';
import { AuditLogSource } from './sources/audit-log.ts';
import { ContainerLookup } from './adapters/container-lookup.ts';
import { K8sAuditWebhookSource } from './sources/k8s-audit-webhook.ts';
import { InventorySource } from './sources/inventory-source.ts';
import { checkK8sAuditWebhookConfig } from './k8s-audit-webhook-config.ts';
import { startAgentRegistration } from './adapters/agent-registry.ts';
import { checkCollectorPatterns } from './config-patterns.ts';
import { chooseJournal } from './core/journal-choice.ts';
import { journalFacts } from './adapters/journal-facts.ts';

export interface CollectorService {
  readonly agent: AgentRef;
  /** Paths being followed. */
  readonly paths: string[];
  /** Resolves once every source has made its first pass (files opened, FIM baseline loaded). */
  readonly ready: Promise<void>;
  readonly sources: readonly EventSource[];
  /** Lines for the start-up banner: what could not be followed and why, who-data on or off (after `ready`). */
  notes(): string[];
  /** Events accepted but not yet stored by JetStream. */
  spoolDepth(): { events: number; bytes: number };
  stop(): Promise<void>;
}

/** What a source is built from: the place to add one (e.g. the SCA scanner) without touching the service. */
export interface SourceContext {
  agent: AgentRef;
  spool: SpoolStore;
  logger: Logger;
  config: CollectorConfig;
  /** Where a source says, for the start-up banner, what it chose or could not do. */
  note?: (line: string) => void;
}

export type SourceFactory = (context: SourceContext) => EventSource | EventSource[];

/** The built-in sources, in start order. */
export function defaultSources(context: SourceContext): EventSource[] {
  const { config, spool, logger } = context;
  const sources: EventSource[] = [
    new LogFilesSource({
      files: config.files,
      hostLogPaths: config.hostLogs ? config.hostLogPaths : [],
      spool,
      logger,
      maxLineBytes: config.maxLineBytes,
      batchLines: config.batchLines,
      pollIntervalMs: config.pollIntervalMs,
      globRefreshMs: config.globRefreshMs,
    }),
  ];
  for (const command of config.commands) sources.push(new CommandSource({ command, spool, logger, maxLineBytes: config.maxLineBytes }));
  const journal = chooseJournal(journalFacts(config));
  if (journal.note) context.note?.(journal.note);
  if (journal.follow) sources.push(new JournalSource({ config: config.journal, spool, logger, maxLineBytes: config.maxLineBytes }));
  if (config.audit.enabled) {
    const { containers } = config.audit;
    sources.push(
      new AuditLogSource({ path: config.audit.path, spool, logger, pollMs: config.pollIntervalMs, ...(containers.enabled ? { containers: new ContainerLookup(containers) } : {}) }),
    );
  }
  if (config.k8sAuditWebhook.enabled) sources.push(new K8sAuditWebhookSource({ config: config.k8sAuditWebhook, spool, logger }));
  if (config.fim.enabled) {
    // The collector's own state (spool, baseline) is never monitored: it changes with every event, and under
    // realtime each change would report the next one.
    const fim = { ...config.fim, ignore: [...config.fim.ignore, resolve(config.stateDir)] };
    sources.push(new FimSource({ config: fim, dbPath: join(config.stateDir, `fim-${context.agent.id}.db`), spool, logger }));
  }
  if (config.inventory.enabled) sources.push(new InventorySource({ config: config.inventory, spool, logger }));
  return sources;
}

/**
 * The collector: sources hand events to the on-disk spool (each with the next per-agent sequence number), and a
 * sender drains the spool to JetStream in order, with each event's id as Nats-Msg-Id. When NATS is unreachable
 * the sources go on until the spool is full; a restart resends what was not confirmed, under the same ids.
 */
export async function startCollector(options: {
  config: CollectorConfig;
  agent: AgentRef;
  bus: Bus;
  logger: Logger;
  now?: () => Date;
  /** Extra sources (e.g. the SCA scanner), started after the built-in ones. */
  sources?: SourceFactory[];
  /** The collector's version, announced to the agent registry. */
  version?: string;
}): Promise<CollectorService> {
  const { config, agent, bus } = options;
  const logger = options.logger.child({ service: 'collector', agent: agent.id });
  checkCollectorPatterns(config);
  checkK8sAuditWebhookConfig(config.k8sAuditWebhook);
  checkActiveResponseConfig(config.activeResponse);
  const spool = new SpoolStore(join(config.stateDir, `spool-${agent.id}.db`), agent, config.spool.maxBytes, options.now);
  migrateLegacyState(config.stateDir, agent.id, spool, config.maxLineBytes, logger);
  if (spool.depth().events > 0) logger.info(spool.depth(), 'events spooled at the last stop are sent first');
  const spoolBudget = startSpoolBudget({ spool, maxBytes: config.spool.maxBytes, logger, intervalMs: config.spool.budgetCheckSeconds * 1000 });

  const link = new LinkState(bus.nc);
  const publisher = new RawPublisher(bus.publisher, bus.subjects, agent.id, logger, link);
  const sender = startSpoolSender({
    spool,
    publisher,
    logger,
    batch: Math.max(config.batchLines, 100),
    maxEventsPerSecond: config.maxEventsPerSecond,
    idleMs: Math.min(config.pollIntervalMs, 100),
  });

  const notes: string[] = [];
  const context: SourceContext = { agent, spool, logger, config, note: (line) => notes.push(line) };
  const sources: EventSource[] = [...defaultSources(context)];
  for (const factory of options.sources ?? []) sources.push(...[factory(context)].flat());
  const started: EventSource[] = [];
  const ready = (async () => {
    for (const source of sources) {
      try {
        await source.start();
        started.push(source);
      } catch (err) {
        // A source that cannot start is reported; the others run.
        logger.error({ err, source: source.name }, 'source failed to start');
      }
    }
  })();

  const registration = config.registry.enabled
    ? startAgentRegistration({ nc: bus.nc, agent, logger, keepaliveSeconds: config.registry.keepaliveSeconds, version: options.version, subjectPrefix: bus.config.subjectPrefix, replicas: bus.config.streams.replicas })
    : undefined;

  const activeResponse = config.activeResponse.enabled
    ? await startActiveResponse({ bus, logger, config: config.activeResponse, agent: agent.id, stateDir: config.stateDir, spool })
    : undefined;

  return {
    agent,
    get paths() {
      return sources.flatMap((s) => s.describe?.() ?? []);
    },
    ready,
    sources,
    notes: () => [...notes, ...sources.flatMap((s) => s.status?.() ?? [])],
    spoolDepth: () => spool.depth(),
    async stop() {
      await ready;
      for (const s of [...started].reverse()) {
        try {
          await s.stop();
        } catch (err) {
          logger.error({ err, source: s.name }, 'source failed to stop');
        }
      }
      await activeResponse?.stop();
      await registration?.stop();
      spoolBudget.stop();
      await sender.stop();
      link.close();
      spool.close();
      logger.info('collector stopped');
    },
  };
}
