export { IndexerConfig } from './config.ts';
export { toAlertRow, alertQuerySql, type AlertQuery, type AlertRow } from './core/alert-row.ts';
export { SqliteAlertStore, openAlertsReadOnly } from './adapters/sqlite-store.ts';
export { startIndexerConsumer } from './adapters/indexer-consumer.ts';
