import { existsSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { HealthConfig, loadConfig, NatsConfig, PipelineConfig, type EnvOverride } from '@vigil/common';
import { AgentConfig, CollectorConfig } from '@vigil/collector';
import { DecoderConfig } from '@vigil/decoder';
import { RuleEngineConfig } from '@vigil/rule-engine';
import { IndexerConfig } from '@vigil/indexer';
import { NotifierConfig } from '@vigil/notifier';
import { VulnerabilityDetectorConfig } from '@vigil/vulnerability-detector';
import { ResponderConfig } from '@vigil/responder';

/** The one configuration file of Vigil: every service reads its own section. */
export const VigilConfig = Type.Object(
  {
    logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)), { default: 'info' }),
    dataDir: Type.String({ default: './data', description: 'Where `vigil start` keeps NATS storage, the demo file and state' }),
    nats: NatsConfig,
    pipeline: PipelineConfig,
    agent: AgentConfig,
    collector: CollectorConfig,
    decoder: DecoderConfig,
    ruleEngine: RuleEngineConfig,
    indexer: IndexerConfig,
    notifier: NotifierConfig,
    vulnerabilityDetector: VulnerabilityDetectorConfig,
    responder: ResponderConfig,
    health: HealthConfig,
  },
  { additionalProperties: false },
);
export type VigilConfig = Static<typeof VigilConfig>;

export const ENV_OVERRIDES: EnvOverride[] = [
  { variable: 'NATS_URL', key: 'nats.url' },
  { variable: 'NATS_USER', key: 'nats.user' },
  { variable: 'NATS_PASSWORD', key: 'nats.password' },
  { variable: 'VIGIL_AGENT_ID', key: 'agent.id' },
  { variable: 'VIGIL_AGENT_NAME', key: 'agent.name' },
  { variable: 'SLACK_WEBHOOK_URL', key: 'notifier.slack.webhookUrl' },
  { variable: 'VIGIL_LOG_LEVEL', key: 'logLevel' },
  { variable: 'VIGIL_DATA_DIR', key: 'dataDir' },
  { variable: 'VIGIL_REPLICA_INDEX', key: 'ruleEngine.replica.index', parse: Number },
  { variable: 'VIGIL_REPLICA_COUNT', key: 'ruleEngine.replica.count', parse: Number },
  { variable: 'ELASTICSEARCH_URL', key: 'indexer.elasticsearch.url' },
  { variable: 'ELASTICSEARCH_URL', key: 'indexer.elasticsearch.enabled', parse: () => true },
  { variable: 'ELASTICSEARCH_USERNAME', key: 'indexer.elasticsearch.username' },
  { variable: 'ELASTICSEARCH_PASSWORD', key: 'indexer.elasticsearch.password' },
  { variable: 'ELASTICSEARCH_API_KEY', key: 'indexer.elasticsearch.apiKey' },
  { variable: 'VIGIL_API_TOKEN', key: 'indexer.api.token' },
  { variable: 'VIGIL_DASHBOARD_PASSWORD', key: 'indexer.api.dashboard.password' },
];

/** The config file: `--config`, else $VIGIL_CONFIG, else ./vigil.yaml when present, else defaults only. */
export function resolveConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag) return flag;
  if (env['VIGIL_CONFIG']) return env['VIGIL_CONFIG'];
  return existsSync('vigil.yaml') ? 'vigil.yaml' : undefined;
}

export function loadVigilConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): VigilConfig {
  return loadConfig(VigilConfig, { file, env, envOverrides: ENV_OVERRIDES });
}
