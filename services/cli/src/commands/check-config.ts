import { redactNotifierConfig } from '@vigil/notifier';
import type { VigilConfig } from '../config.ts';

/** `vigil check-config`: the effective configuration with every secret replaced by '[redacted]'. */
export function redactedConfig(config: VigilConfig): unknown {
  return {
    ...config,
    nats: { ...config.nats, password: config.nats.password ? '[redacted]' : undefined, token: config.nats.token ? '[redacted]' : undefined },
    notifier: redactNotifierConfig(config.notifier),
    indexer: {
      ...config.indexer,
      elasticsearch: {
        ...config.indexer.elasticsearch,
        password: config.indexer.elasticsearch.password ? '[redacted]' : undefined,
        apiKey: config.indexer.elasticsearch.apiKey ? '[redacted]' : undefined,
      },
      api: { ...config.indexer.api, token: config.indexer.api.token ? '[redacted]' : undefined },
    },
  };
}
