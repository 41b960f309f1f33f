import { natsReadiness, onShutdown, startHealthServer, type Bus, type Logger } from '@vigil/common';
import { startStandaloneQueryApi } from '@vigil/indexer';
import type { VigilConfig } from '../config.ts';
import { dashboardLogtest } from './dashboard-logtest.ts';
import { startServices, type ServiceName } from '../services.ts';

/** Never settles: a long-running command ends through onShutdown (SIGTERM/SIGINT), which exits the process. */
const forever = () => new Promise<number>(() => {});

/** `vigil collector|decoder|rule-engine|indexer|notifier`: one service alone, with its health server when enabled. */
export async function serviceCommand(name: ServiceName, config: VigilConfig, logger: Logger): Promise<number> {
  let bus: Bus | undefined;
  const health = config.health.enabled ? await startHealthServer(config.health, { ready: natsReadiness(() => bus?.nc) }, logger) : undefined;
  const running = await startServices([name], config, logger);
  bus = running.bus;
  logger.info({ service: name, ...(running.services[0]?.info ?? {}) }, 'started');
  onShutdown(logger, async () => {
    health?.markStopping();
    await running.stop();
    await health?.close();
  });
  return await forever();
}

/** `vigil api`: the indexer's HTTP query API alone, over the SQLite file (read-only). */
export async function apiCommand(config: VigilConfig, logger: Logger): Promise<number> {
  const api = await startStandaloneQueryApi({ logger, config: config.indexer, logtest: dashboardLogtest(config) });
  logger.info(api.info, 'query API started');
  onShutdown(logger, api.stop);
  return await forever();
}

/** Runs until SIGTERM/SIGINT, then `stop` (drains) and exits. */
export async function runUntilSignal(logger: Logger, stop: () => Promise<void>): Promise<number> {
  onShutdown(logger, stop);
  return await forever();
}
