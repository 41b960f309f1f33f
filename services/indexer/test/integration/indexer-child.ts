/**
 * The SQLite indexer alone in a child process, for the kill -9 test: NATS_URL, VIGIL_TEST_DB, VIGIL_TEST_BATCH.
 * Prints "ready" once its consumer runs.
 */
import { connectBus, createLogger, loadConfig, NatsConfig } from '@vigil/common';
import { SqliteAlertStore } from '../../src/adapters/sqlite-store.ts';
import { startIndexerConsumer } from '../../src/adapters/indexer-consumer.ts';

const logger = createLogger({ level: 'warn' });
const config = loadConfig(NatsConfig, { document: { url: process.env['NATS_URL'], consumers: { ackWaitSeconds: 2, retryDelayMs: 100 } } });
const bus = await connectBus(config, logger, 'indexer-child');
const store = new SqliteAlertStore(process.env['VIGIL_TEST_DB'] as string);
await startIndexerConsumer({ bus, logger, store, batchSize: Number(process.env['VIGIL_TEST_BATCH'] ?? 200) });
process.stdout.write('ready\n');
