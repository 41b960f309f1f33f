/**
 * The notifier alone in a process, for restart tests: NATS_URL, and NOTIFIER_CONFIG (JSON of the `notifier`
 * section). Stops gracefully on SIGTERM; a test kills it with SIGKILL to simulate a crash.
 * (`bin/vigil notifier` does the same composition through the CLI.)
 */
import { connectBus, createLogger, loadConfig, NatsConfig, onShutdown } from '@vigil/common';
import { NotifierConfig } from '../../src/config.ts';
import { startNotifierConsumer } from '../../src/adapters/notifier-consumer.ts';

const logger = createLogger({ level: process.env['VIGIL_LOG_LEVEL'] ?? 'warn' });
const nats = loadConfig(NatsConfig, { document: { url: process.env['NATS_URL'], consumers: { ackWaitSeconds: 1, retryDelayMs: 100 } } });
const config = loadConfig(NotifierConfig, { document: JSON.parse(process.env['NOTIFIER_CONFIG'] ?? '{}') as unknown });
const bus = await connectBus(nats, logger, 'notifier-process');
const notifier = await startNotifierConsumer({ bus, logger, config });
logger.warn('notifier started');
onShutdown(logger, async () => {
  await notifier.stop();
  await bus.nc.drain();
});
