/**
 * The one error base class of Vigil. Every error carries a stable `code` (listed in ERROR_CODES, each one
 * documented in docs/errors.md), a human message that names the file/line, key or message at fault, and
 * optionally the `cause` it wraps.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'configuration file or environment override is invalid',
  CONFIG_UNREADABLE: 'configuration file cannot be read or parsed',
  EVENT_INVALID: 'a message failed schema validation',
  EVENT_NOT_JSON: 'a message is not valid JSON',
  AGENT_MISMATCH: "a message's agent id differs from the agent id in its subject",
  RULESET_INVALID: 'a rule or decoder file cannot be loaded',
  NATS_UNAVAILABLE: 'the NATS server cannot be reached or started',
  SINK_FAILED: 'a sink (SQLite, Elasticsearch, Slack) rejected a write',
  PROCESSING_FAILED: 'a stage failed to process a message',
  QUERY_INVALID: 'a parameter of a query (the indexer API, `vigil alerts`) is invalid',
  SCA_POLICY_INVALID: 'an SCA policy file cannot be parsed or is not a valid policy',
  SPOOL_UNAVAILABLE: "the collector's on-disk spool or FIM baseline cannot be opened or written",
  STREAM_FULL: 'a stream refused a message because it reached its disk budget (discard new); the publisher retries',
  DISK_FULL: 'the disk holding a store is full (SQLITE_FULL, ENOSPC); the write is retried until space returns',
  PACKAGE_DATABASE_UNREADABLE: "a package manager's database (dpkg status, rpmdb, apk installed) cannot be read for the inventory",
  AR_REFUSED: 'an active-response command was refused (malformed, unknown response, allow-listed target); never executed',
  AR_FAILED: 'an active-response command or its revert failed to run (nft, iptables, usermod, a script)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class VigilError extends Error {
  readonly code: ErrorCode;
  /** Whether retrying the same input later may succeed (a temporary failure) or never will (permanent). */
  readonly temporary: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; temporary?: boolean; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.temporary = options.temporary ?? false;
    this.details = options.details;
  }
}

export class ConfigError extends VigilError {
  constructor(message: string, options: { cause?: unknown; code?: 'CONFIG_INVALID' | 'CONFIG_UNREADABLE' } = {}) {
    super(options.code ?? 'CONFIG_INVALID', message, { cause: options.cause });
    this.name = 'ConfigError';
  }
}

/** A message that can never be processed: it goes to the dead-letter stream with this reason. */
export class InvalidMessageError extends VigilError {
  constructor(
    code: 'EVENT_INVALID' | 'EVENT_NOT_JSON' | 'AGENT_MISMATCH',
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, { ...options, temporary: false });
    this.name = 'InvalidMessageError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
