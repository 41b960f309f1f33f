import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root, where the built-in ruleset lives. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUILTIN_RULESET = resolve(PROJECT_ROOT, 'ruleset');
import type { VigilConfig } from './config.ts';

/** Makes the data paths absolute: relative ones are relative to dataDir, which is relative to the working dir. */
export function resolveDataPaths(config: VigilConfig, cwd: string = process.cwd()): VigilConfig {
  const dataDir = resolve(cwd, config.dataDir);
  const inData = (p: string) => (isAbsolute(p) ? p : resolve(dataDir, p));
  return {
    ...config,
    dataDir,
    collector: { ...config.collector, stateDir: inData(config.collector.stateDir) },
    indexer: { ...config.indexer, sqlite: { ...config.indexer.sqlite, path: inData(config.indexer.sqlite.path) } },
    vulnerabilityDetector: { ...config.vulnerabilityDetector, database: inData(config.vulnerabilityDetector.database), stateFile: inData(config.vulnerabilityDetector.stateFile) },
    ruleEngine: {
      ...config.ruleEngine,
      rulesets: config.ruleEngine.rulesets.map((p) => (p === 'builtin' ? BUILTIN_RULESET : resolve(cwd, p))),
      ...(config.ruleEngine.geoipDatabase !== undefined ? { geoipDatabase: resolve(cwd, config.ruleEngine.geoipDatabase) } : {}),
      ...(config.ruleEngine.ossecConf !== undefined ? { ossecConf: resolve(cwd, config.ruleEngine.ossecConf) } : {}),
    },
    decoder: {
      ...config.decoder,
      rulesets: config.decoder.rulesets.map((p) => (p === 'builtin' ? p : resolve(cwd, p))),
      ...(config.decoder.ossecConf !== undefined ? { ossecConf: resolve(cwd, config.decoder.ossecConf) } : {}),
    },
  };
}
