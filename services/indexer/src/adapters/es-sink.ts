import { errors, type Client } from '@elastic/elasticsearch';
import { VigilError, errorMessage, type Alert, type Logger } from '@vigil/common';
import { backoffDelay, classifyBulkItems, toBulkChunks } from '../core/es-bulk.ts';
import { alertIndexTemplate } from '../core/es-template.ts';

/** What became of one alert handed to the sink. */
export type SinkResult = { kind: 'ok' } | { kind: 'rejected'; reason: string } | { kind: 'failed'; error: VigilError };

export interface ElasticsearchSinkOptions {
  client: Client;
  logger: Logger;
  indexPrefix: string;
  bulkMaxDocs: number;
  bulkMaxBytes: number;
  maxRetries: number;
  retryDelayMs: number;
  shards?: number;
  replicas?: number;
  /** Replaced in tests to avoid waiting; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a failed request as a whole may succeed when sent again (overload, server error, network). */
function isRetryableRequestError(err: unknown): boolean {
  if (err instanceof errors.ResponseError) {
    const status = err.meta.statusCode ?? 0;
    return status === 429 || status >= 500;
  }
  return err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError;
}

function requestErrorText(err: unknown): string {
  if (err instanceof errors.ResponseError) {
    const body = err.meta.body as { error?: { type?: string; reason?: string } } | undefined;
    return `HTTP ${err.meta.statusCode}${body?.error ? `: ${body.error.type ?? ''}: ${body.error.reason ?? ''}` : ''}`;
  }
  return errorMessage(err);
}

/**
 * Writes alerts to Elasticsearch/OpenSearch with `_bulk`. Items answered 429/5xx, and whole requests that fail with
 * 429/5xx or a network error, are sent again with a doubling back-off up to maxRetries times; a document refused for
 * good (mapping conflict, bad value) is reported `rejected` with Elasticsearch's reason; whatever is still failing
 * after the retries is reported `failed` (the consumer naks it for a later redelivery).
 */
export class ElasticsearchAlertSink {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly logger: Logger;

  constructor(private readonly options: ElasticsearchSinkOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.logger = options.logger.child({ service: 'indexer', sink: 'elasticsearch' });
  }

  /** Installs (or replaces) the index template of the alert indices. */
  async installTemplate(): Promise<void> {
    const { name, body } = alertIndexTemplate({ prefix: this.options.indexPrefix, shards: this.options.shards ?? 1, replicas: this.options.replicas ?? 0 });
    try {
      await this.options.client.transport.request({ method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body });
    } catch (cause) {
      throw new VigilError('SINK_FAILED', `cannot install index template '${name}': ${requestErrorText(cause)}`, { cause, temporary: isRetryableRequestError(cause) });
    }
    this.logger.info({ template: name }, 'index template installed');
  }

  /** Indexes the alerts; returns one result per alert, in order. */
  async index(alerts: readonly Alert[]): Promise<SinkResult[]> {
    const results: SinkResult[] = new Array(alerts.length);
    let pending = alerts.map((_, i) => i);
    let lastError = '';
    for (let attempt = 0; pending.length > 0 && attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) {
        const delay = backoffDelay(this.options.retryDelayMs, attempt);
        this.logger.warn({ attempt, pending: pending.length, delay, reason: lastError }, 'retrying bulk items');
        await this.sleep(delay);
      }
      const chunks = toBulkChunks(
        pending.map((i) => alerts[i] as Alert),
        pending,
        { prefix: this.options.indexPrefix, maxDocs: this.options.bulkMaxDocs, maxBytes: this.options.bulkMaxBytes },
      );
      const retry: number[] = [];
      for (const chunk of chunks) {
        let response: { errors?: boolean; items?: Array<Record<string, { status?: number }>> };
        try {
          response = (await this.options.client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: chunk.body })) as typeof response;
        } catch (err) {
          lastError = requestErrorText(err);
          if (!isRetryableRequestError(err)) this.logger.error({ reason: lastError }, 'bulk request refused');
          retry.push(...chunk.positions);
          continue;
        }
        classifyBulkItems(response, chunk.positions.length).forEach((item, k) => {
          const position = chunk.positions[k] as number;
          if (item.kind === 'ok') results[position] = { kind: 'ok' };
          else if (item.kind === 'rejected') results[position] = { kind: 'rejected', reason: `elasticsearch refused the document (HTTP ${item.status}): ${item.reason}` };
          else {
            lastError = `HTTP ${item.status}: ${item.reason}`;
            retry.push(position);
          }
        });
      }
      pending = retry;
    }
    for (const i of pending) {
      results[i] = { kind: 'failed', error: new VigilError('SINK_FAILED', `elasticsearch did not store the alert after ${this.options.maxRetries + 1} attempts: ${lastError}`, { temporary: true }) };
    }
    return results;
  }
}
