import { Type, type Static } from '@sinclair/typebox';

const Sqlite = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Index alerts into SQLite (the query API and `vigil alerts` read it)' }),
    path: Type.String({ default: 'vigil.db', description: 'SQLite database file, WAL mode (relative to dataDir)' }),
    fts: Type.Boolean({ default: true, description: 'Full-text index (FTS5) over full_log and the rule description' }),
    synchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], {
      default: 'full',
      description: 'full: every committed batch survives a power loss; normal: faster, survives a crash of the process only',
    }),
  },
  { additionalProperties: false, default: {} },
);

const Retention = Type.Object(
  {
    alertsMaxAgeDays: Type.Number({ minimum: 0, default: 90, description: 'Alerts (and FIM history) older than this are removed from SQLite; 0 = keep all' }),
    archivesMaxAgeDays: Type.Number({ minimum: 0, default: 7, description: 'Archived decoded events older than this are removed; 0 = keep all' }),
    intervalMinutes: Type.Number({ exclusiveMinimum: 0, default: 60, description: 'How often the retention run happens (also once at start)' }),
    maxBytes: Type.Integer({
      minimum: 0,
      default: 1024 * 1024 * 1024,
      description:
        'Disk budget of the SQLite index (file and WAL) in bytes, 0 = none. Above 90% the oldest alerts and archives are removed (small transactions) until the data is under 80%, and the file shrinks (incremental vacuum); an alert and a metric warn at 80% and 95%. Keep it at about half the volume (a one-time VACUUM of an older file needs its size free)',
    }),
    budgetCheckSeconds: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'How often the index is measured against its budget (also after each written batch)' }),
  },
  { additionalProperties: false, default: {} },
);

const Archives = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: "Keep every decoded event in the archives table (like Wazuh's logall), from its own durable consumer on the decoded stream",
    }),
  },
  { additionalProperties: false, default: {} },
);

const Elasticsearch = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Index alerts into Elasticsearch or OpenSearch, from its own durable consumer' }),
    url: Type.String({ default: 'http://127.0.0.1:9200', description: 'Node URL(s), comma separated; env ELASTICSEARCH_URL' }),
    flavour: Type.Union([Type.Literal('elasticsearch'), Type.Literal('opensearch')], {
      default: 'elasticsearch',
      description: 'opensearch turns off the client’s Elasticsearch product check and vendor media types',
    }),
    indexPrefix: Type.String({ default: 'vigil-alerts', pattern: '^[a-z0-9][a-z0-9_.-]*$', description: 'Daily indices are <prefix>-YYYY.MM.DD (UTC date of the alert)' }),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String({ description: 'env ELASTICSEARCH_PASSWORD' })),
    apiKey: Type.Optional(Type.String({ description: 'API key (instead of username/password); env ELASTICSEARCH_API_KEY' })),
    caFile: Type.Optional(Type.String({ description: 'CA certificate (PEM) for https' })),
    rejectUnauthorized: Type.Boolean({ default: true, description: 'Verify the server certificate' }),
    installTemplate: Type.Boolean({ default: true, description: 'Install (overwrite) the index template on start' }),
    shards: Type.Integer({ minimum: 1, default: 1, description: 'Primary shards of each daily index' }),
    replicas: Type.Integer({ minimum: 0, default: 0, description: 'Replicas of each daily index' }),
    bulkMaxDocs: Type.Integer({ minimum: 1, default: 1000, description: 'At most this many alerts per bulk request' }),
    bulkMaxBytes: Type.Integer({ minimum: 1024, default: 5_000_000, description: 'At most this many bytes per bulk request body' }),
    flushIntervalMs: Type.Integer({ minimum: 0, default: 1000, description: 'Wait at most this long for a bulk to fill up' }),
    maxRetries: Type.Integer({ minimum: 0, default: 5, description: 'Quick retries of 429/5xx items within one bulk; after them the batch is held and resent with a growing back-off (up to 30 s) until the cluster takes it' }),
    retryDelayMs: Type.Integer({ minimum: 0, default: 500, description: 'First back-off delay; doubles per retry' }),
    requestTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
  },
  { additionalProperties: false, default: {} },
);

const Dashboard = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Serve the web dashboard at /ui/ beside the query API (same host, port and authentication)' }),
    username: Type.Optional(Type.String({ minLength: 1, description: 'Dashboard login name (with password); indexer.api.token also logs in' })),
    password: Type.Optional(Type.String({ minLength: 12, description: 'Dashboard password (with username); env VIGIL_DASHBOARD_PASSWORD' })),
    sessionHours: Type.Number({ exclusiveMinimum: 0, default: 12, description: 'A dashboard session (HttpOnly, Secure, SameSite=Strict cookie) ends after this long' }),
  },
  { additionalProperties: false, default: {} },
);

const Api = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Serve the read-only query API over HTTP' }),
    host: Type.String({ default: '127.0.0.1', description: 'Listen address' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 55080 }),
    token: Type.Optional(Type.String({ minLength: 16, description: 'Bearer token required on every request; env VIGIL_API_TOKEN' })),
    maxLimit: Type.Integer({ minimum: 1, default: 1000, description: 'Largest page size a request may ask for' }),
    dashboard: Dashboard,
  },
  { additionalProperties: false, default: {} },
);

export const IndexerConfig = Type.Object(
  {
    sqlite: Sqlite,
    batchSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Alerts per transaction; default: nats.consumers.batchSize' })),
    retention: Retention,
    archives: Archives,
    elasticsearch: Elasticsearch,
    api: Api,
  },
  { additionalProperties: false, default: {} },
);
export type IndexerConfig = Static<typeof IndexerConfig>;
export type ElasticsearchConfig = Static<typeof Elasticsearch>;
export type QueryApiConfig = Static<typeof Api>;
export type DashboardConfig = Static<typeof Dashboard>;
