import { resolve } from 'node:path';
import type { SourceContext, SourceFactory } from '../collector-service.ts';
import type { EventDraft } from '../core/raw-event.ts';
import type { EventSource } from '../sources/event-source.ts';
import type { ScaHost } from './host-access.ts';
import type { ScaConfig } from './sca-config.ts';
import type { ScaPayload } from './sca-payload.ts';
import { startScaScanner, type ScaScanner } from './sca-scanner.ts';

/**
 * The SCA scanner as one of the collector's event sources: each policy scan's payloads go to the spool as raw
 * events of kind `sca` (location `sca`), in one append, so they are numbered and sent like every other event.
 * When the spool is full the scan waits for room rather than drop its results.
 */

export function scaDraft(payload: ScaPayload): EventDraft {
  return { kind: 'sca', location: 'sca', payload: payload as unknown as Record<string, unknown> };
}

const ROOM_POLL_MS = 1000;

class ScaSource implements EventSource {
  readonly name = 'sca';
  private scanner: ScaScanner | undefined;
  private stopped = false;

  constructor(
    private readonly config: ScaConfig,
    private readonly context: SourceContext,
    private readonly host?: ScaHost,
  ) {}

  async start(): Promise<void> {
    const { spool, logger } = this.context;
    this.scanner = startScaScanner({
      config: this.config,
      logger,
      stateDir: resolve(this.context.config.stateDir),
      ...(this.host ? { host: this.host } : {}),
      publish: async (payloads) => {
        while (!spool.hasRoom()) {
          // Not publishing leaves the last results unsaved, so the next start reports these changes again.
          if (this.stopped) throw new Error('the collector stopped while the spool was full; the SCA results will be sent after the next scan');
          await new Promise((r) => setTimeout(r, ROOM_POLL_MS));
        }
        spool.append(payloads.map(scaDraft));
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.scanner?.stop();
  }

  describe(): string[] {
    const c = this.config;
    return [`SCA: ${c.policies.join(', ')} every ${c.intervalSeconds} s${c.scanOnStart ? ' and on start' : ''}, root ${c.rootDir}`];
  }
}

/**
 * For startCollector's `sources`: `sources: [scaSourceFactory(config.sca)]`. Nothing runs when sca.enabled is
 * false. `host` replaces the host built from the config (tests).
 */
export function scaSourceFactory(config: ScaConfig, options: { host?: ScaHost } = {}): SourceFactory {
  return (context) => (config.enabled ? [new ScaSource(config, context, options.host)] : []);
}
