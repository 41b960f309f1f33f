import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A bulk action line and its document, as the fake parsed them. */
export interface BulkAction {
  action: 'index' | 'create' | 'update' | 'delete';
  index: string;
  id: string;
  doc: Record<string, unknown>;
}

/** What the fake answers for one bulk item: a status, and an error object when it is not 2xx. */
export type ItemAnswer = { status: number; error?: { type: string; reason: string } };

/**
 * A local HTTP server that answers like Elasticsearch's `_bulk`, `_index_template` and `/` endpoints and records
 * every request. `onBulk` decides each item's answer (default 201); `onRequest` may answer a whole request itself
 * (429, 503...). With `product: false` it leaves out the `x-elastic-product` header, as OpenSearch does.
 */
export class FakeElasticsearch {
  readonly requests: RecordedRequest[] = [];
  /** Every document stored, by index and id (a later index action overwrites, as in Elasticsearch). */
  readonly stored = new Map<string, Record<string, unknown>>();
  onBulk: (action: BulkAction, nth: number) => ItemAnswer = () => ({ status: 201 });
  onRequest: (req: RecordedRequest) => { status: number; body: unknown } | undefined = () => undefined;
  private server: Server | undefined;
  private bulkItems = 0;

  constructor(private readonly options: { product?: boolean } = {}) {}

  get url(): string {
    const addr = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  bulkRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/_bulk'));
  }

  static parseBulk(body: string): BulkAction[] {
    const lines = body.split('\n').filter((l) => l !== '');
    const out: BulkAction[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const head = JSON.parse(lines[i] as string) as Record<string, { _index: string; _id: string }>;
      const [action, meta] = Object.entries(head)[0] as [BulkAction['action'], { _index: string; _id: string }];
      out.push({ action, index: meta._index, id: meta._id, doc: JSON.parse(lines[i + 1] ?? '{}') as Record<string, unknown> });
    }
    return out;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(rec);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (this.options.product !== false) headers['x-elastic-product'] = 'Elasticsearch';
        const send = (status: number, body: unknown) => {
          res.writeHead(status, headers);
          res.end(JSON.stringify(body));
        };
        const override = this.onRequest(rec);
        if (override) return send(override.status, override.body);
        if (rec.path.startsWith('/_bulk')) {
          const start = Date.now();
          const items = FakeElasticsearch.parseBulk(rec.body).map((a) => {
            const answer = this.onBulk(a, this.bulkItems++);
            if (answer.status < 300) this.stored.set(`${a.index}/${a.id}`, a.doc);
            return { [a.action]: { _index: a.index, _id: a.id, status: answer.status, ...(answer.error ? { error: answer.error } : { result: 'created' }) } };
          });
          return send(200, { took: Date.now() - start, errors: items.some((i) => (Object.values(i)[0]?.status ?? 0) >= 300), items });
        }
        if (rec.path.startsWith('/_index_template/')) return send(200, { acknowledged: true });
        if (rec.path === '/') return send(200, { name: 'fake', cluster_name: 'fake', version: { number: '8.15.0' }, tagline: 'You Know, for Search' });
        return send(404, { error: { type: 'not_found', reason: `no route ${rec.method} ${rec.path}` }, status: 404 });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
