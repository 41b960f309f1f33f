export { CollectorConfig, AgentConfig, LogFileConfig } from './config.ts';
export { resolveAgent } from './agent-identity.ts';
export { startCollector, type CollectorService } from './collector-service.ts';
export { splitLines } from './core/line-splitter.ts';
export { eventId, logEvent } from './core/raw-event.ts';
