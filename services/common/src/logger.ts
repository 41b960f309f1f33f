import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One root logger per process; services take children with `{ service }`, and adapters add `{ agent, rule }`.
 * Secrets (webhook URLs, tokens, passwords) are redacted wherever they appear in logged objects.
 */
export function createLogger(options: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env['VIGIL_LOG_LEVEL'] ?? 'info';
  const opts = {
    level,
    name: options.name ?? 'vigil',
    redact: {
      paths: ['*.webhookUrl', 'webhookUrl', '*.token', 'token', '*.password', 'password', '*.*.webhookUrl', '*.*.token', '*.*.password'],
      censor: '[redacted]',
    },
    base: { pid: process.pid },
  };
  return options.destination ? pino(opts, options.destination as never) : pino(opts);
}
