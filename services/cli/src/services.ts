import { hostname } from 'node:os';
import { connectBus, startStreamWatch, type Bus, type Logger, type RunningConsumer } from '@vigil/common';
import { resolveAgent, scaSourceFactory, startCollector } from '@vigil/collector';
import { loadDecoderFiles, readDecoderRuleset, startDecoderConsumer, type DecoderSet } from '@vigil/decoder';
import { loadRulesetFiles, ownedPartitions, readRuleRuleset, startRuleEngineConsumers, type LoadedRules } from '@vigil/rule-engine';
import { startStageRulesetReload } from '@vigil/wazuh-format';
import { startIndexer } from '@vigil/indexer';
import { hasNotifierDestinations, startNotifierConsumer } from '@vigil/notifier';
import { startVulnerabilityDetector } from '@vigil/vulnerability-detector';
import { startResponderConsumer } from '@vigil/responder';
import type { VigilConfig } from './config.ts';
import { dashboardLogtest } from './commands/dashboard-logtest.ts';

export const SERVICE_NAMES = ['collector', 'decoder', 'rule-engine', 'vulnerability-detector', 'indexer', 'notifier', 'responder'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface StartedService {
  name: ServiceName;
  stop(): Promise<void>;
  /** Extra information for the start-up banner. */
  info?: Record<string, unknown>;
}

function consumersStopper(consumers: RunningConsumer[], after?: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await after?.();
  };
}

/**
 * A consuming stage trims its input stream: once a stream that refuses new messages at its budget (discard new)
 * is half full, what every durable consumer acknowledged is removed, so the stream makes room as the stage
 * catches up (and the collectors' spools drain). Also records the stream's gauges for /metrics.
 */
function trimInput(bus: Bus, logger: Logger, stream: string) {
  return startStreamWatch({ bus, logger, streams: [stream], trim: [stream], intervalMs: bus.config.streams.budgetCheckSeconds * 1000 });
}

/** Starts one service on an open bus. Composition only: config → adapters → core. */
export async function startService(name: ServiceName, config: VigilConfig, bus: Bus, logger: Logger): Promise<StartedService> {
  const batch = config.nats.consumers.batchSize;
  switch (name) {
    case 'collector': {
      const agent = resolveAgent(config.agent);
      const collector = await startCollector({ config: config.collector, agent, bus, logger, sources: [scaSourceFactory(config.collector.sca)] });
      await collector.ready;
      return { name, stop: () => collector.stop(), info: { agent, paths: collector.paths, notes: collector.notes() } };
    }
    case 'decoder': {
      const decoderFiles = config.decoder.ossecConf !== undefined ? { ossecConf: config.decoder.ossecConf } : {};
      const { set, warnings, hash } = loadDecoderFiles(config.decoder.rulesets, decoderFiles);
      for (const w of warnings) logger.warn({ file: w.file, line: w.line, code: w.code }, w.message);
      let inService: DecoderSet = set;
      const reload = await startStageRulesetReload<DecoderSet>({
        bus,
        logger,
        service: 'decoder',
        replica: hostname(),
        managerName: config.pipeline.managerName ?? hostname(),
        paths: config.decoder.rulesets,
        hash,
        config: config.decoder.reload,
        read: () => readDecoderRuleset(config.decoder.rulesets, decoderFiles),
        apply: async (next) => {
          inService = next;
        },
      });
      const c = await startDecoderConsumer({ bus, logger, partitions: config.pipeline.partitions, decoders: () => inService, batchSize: config.decoder.batchSize ?? batch });
      const trim = trimInput(bus, logger, bus.streams.raw);
      const stop = consumersStopper([c], async () => {
        await reload.stop();
        await trim.stop();
      });
      return { name, stop, info: { decoders: set.decoderCount, decoderFiles: set.files.length, ruleset: hash } };
    }
    case 'rule-engine': {
      const re = config.ruleEngine;
      const fileOptions = { geoip: re.geoipDatabase !== undefined, semantics: re.semantics, ...(re.ossecConf !== undefined ? { ossecConf: re.ossecConf } : {}) };
      const { ruleset, warnings, loaded } = loadRulesetFiles(re.rulesets, fileOptions);
      for (const w of warnings) logger.warn({ file: w.file, line: w.line }, w.message);
      const partitions = ownedPartitions(re, config.pipeline.partitions);
      const consumers = await startRuleEngineConsumers({
        bus,
        logger,
        tree: ruleset,
        rulesets: re.rulesets,
        loaded,
        workers: re.workers,
        clock: re.clock,
        alertLevel: re.alertLevel,
        ...(re.geoipDatabase !== undefined ? { geoipDatabase: re.geoipDatabase } : {}),
        partitions,
        managerName: config.pipeline.managerName ?? hostname(),
        batchSize: batch,
      });
      const trim = trimInput(bus, logger, bus.streams.decoded);
      const reload = await startStageRulesetReload<LoadedRules>({
        bus,
        logger,
        service: 'rule-engine',
        replica: `${hostname()}/${re.replica.index}`,
        managerName: config.pipeline.managerName ?? hostname(),
        paths: re.rulesets,
        hash: loaded.hash,
        config: re.reload,
        read: () => readRuleRuleset(re.rulesets, fileOptions),
        apply: async (next) => await consumers.reload?.(next),
      });
      return {
        name,
        stop: consumersStopper(consumers, async () => {
          await reload.stop();
          await trim.stop();
        }),
        info: { rules: ruleset.byId.size, partitions, workers: re.workers, clock: re.clock, ruleset: loaded.hash },
      };
    }
    case 'vulnerability-detector': {
      const vd = config.vulnerabilityDetector;
      const d = await startVulnerabilityDetector({ bus, logger, config: vd, paths: { database: vd.database, stateFile: vd.stateFile }, managerName: config.pipeline.managerName ?? hostname(), batchSize: batch });
      return { name, stop: d.stop, info: d.info };
    }
    case 'indexer': {
      const indexer = await startIndexer({ bus, logger, config: config.indexer, batchSize: config.indexer.batchSize ?? batch, managerName: config.pipeline.managerName ?? hostname(), logtest: dashboardLogtest(config) });
      return { name, stop: indexer.stop, info: indexer.info };
    }
    case 'notifier': {
      if (!hasNotifierDestinations(config.notifier)) {
        logger.warn({ service: 'notifier' }, 'no Slack destination (notifier.slack.webhookUrl / SLACK_WEBHOOK_URL or notifier.destinations): no Slack messages will be sent');
        return { name, stop: async () => {}, info: { slack: 'not configured' } };
      }
      const c = await startNotifierConsumer({ bus, logger, config: config.notifier });
      return { name, stop: consumersStopper([c]), info: { slack: 'configured', destinations: c.destinations.map((d) => `${d.name} ${d.filterSubject}`) } };
    }
    case 'responder': {
      if (config.responder.responses.length === 0) return { name, stop: async () => {}, info: { responses: 'none configured' } };
      const c = await startResponderConsumer({ bus, logger, config: config.responder, batchSize: batch });
      return { name, stop: consumersStopper([c]), info: { responses: config.responder.responses.map((r) => `${r.name} ${r.command}${r.dryRun ? ' (dry run)' : ''}`) } };
    }
  }
}

/** Starts services on one connection; stops them in pipeline order (collector first) and then drains NATS. */
export async function startServices(
  names: readonly ServiceName[],
  config: VigilConfig,
  logger: Logger,
): Promise<{ bus: Bus; services: StartedService[]; stop(): Promise<void> }> {
  const bus = await connectBus(config.nats, logger, `vigil-${names.join('+')}`);
  const services: StartedService[] = [];
  try {
    // Downstream first, so nothing published early waits for a consumer that is not there yet.
    for (const name of [...names].reverse()) services.unshift(await startService(name, config, bus, logger));
  } catch (err) {
    for (const s of services) await s.stop().catch(() => {});
    await bus.nc.close();
    throw err;
  }
  return {
    bus,
    services,
    async stop() {
      for (const s of services) await s.stop();
      await bus.nc.drain();
    },
  };
}
