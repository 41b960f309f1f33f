import { readFileSync } from 'node:fs';
import { Client, Transport, type ClientOptions } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../config.ts';

/**
 * The Elasticsearch client speaks only to Elasticsearch: it checks the product header of every answer and sends
 * Elasticsearch's vendor media types. For OpenSearch this transport turns both off (plain application/json).
 */
class OpenSearchTransport extends Transport {
  constructor(options: ConstructorParameters<typeof Transport>[0]) {
    const { productCheck: _productCheck, vendoredHeaders: _vendored, ...rest } = options as ConstructorParameters<typeof Transport>[0] & {
      productCheck?: unknown;
      vendoredHeaders?: unknown;
    };
    super(rest);
  }
}

/** Builds the client from the configuration. Retries are ours (per item, with back-off), so the client's are off. */
export function createElasticsearchClient(config: ElasticsearchConfig): Client {
  const nodes = config.url.split(',').map((s) => s.trim()).filter(Boolean);
  const options: ClientOptions = {
    nodes,
    maxRetries: 0,
    requestTimeout: config.requestTimeoutMs,
    ...(config.apiKey ? { auth: { apiKey: config.apiKey } } : config.username ? { auth: { username: config.username, password: config.password ?? '' } } : {}),
    tls: {
      rejectUnauthorized: config.rejectUnauthorized,
      ...(config.caFile ? { ca: readFileSync(config.caFile) } : {}),
    },
    ...(config.flavour === 'opensearch' ? { Transport: OpenSearchTransport } : {}),
  };
  return new Client(options);
}
