/**
 * A source of events the collector runs (log files, the journal, commands, FIM, SCA, ...). It is built with what it
 * needs (the spool, a logger, its config), hands events to the spool, and is started and stopped by the service.
 * A source reports its own problems as events (see core/collector-notice.ts) and never stops the collector.
 */
export interface EventSource {
  readonly name: string;
  /** Resolves once the source has made its first pass (files opened, baseline loaded, ...). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** What the source follows, for the start-up banner. */
  describe?(): string[];
  /** After start: lines for the start-up banner on how the source runs, e.g. who-data on or off and why. */
  status?(): string[];
}
