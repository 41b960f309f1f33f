import { Gauge, Registry } from 'prom-client';

/**
 * Gauges in the Prometheus text format, served on the health server's `GET /metrics`, through `prom-client`'s
 * registry and exposition. One registry per process (`metrics`): the services of `vigil start` share it, so one
 * scrape shows them all.
 */
export type Labels = Record<string, string>;

/** Label names in a fixed order, so that a gauge's series print the same whatever order the caller built them in. */
function sorted(labels: Labels): Labels {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k] as string]));
}

function labelKey(labels: Labels): string {
  return JSON.stringify(sorted(labels));
}

interface Series {
  gauge: Gauge<string>;
  /** The last value set for each label set, so that `get` answers synchronously (prom-client's `get` is async). */
  values: Map<string, number>;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly gauges = new Map<string, Series>();

  /** Sets a gauge's value for these labels (names: [a-zA-Z_:][a-zA-Z0-9_:]*; one gauge always has the same label names). */
  set(name: string, help: string, labels: Labels, value: number): void {
    let s = this.gauges.get(name);
    if (!s) {
      s = { gauge: new Gauge({ name, help, labelNames: Object.keys(labels).sort(), registers: [this.registry] }), values: new Map() };
      this.gauges.set(name, s);
    }
    s.gauge.set(sorted(labels), value);
    s.values.set(labelKey(labels), value);
  }

  /** Removes a gauge's value for these labels (a store that went away). */
  remove(name: string, labels: Labels): void {
    const s = this.gauges.get(name);
    if (!s) return;
    s.gauge.remove(sorted(labels));
    s.values.delete(labelKey(labels));
  }

  get(name: string, labels: Labels): number | undefined {
    return this.gauges.get(name)?.values.get(labelKey(labels));
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  async render(): Promise<string> {
    return await this.registry.metrics();
  }
}

/** The process's registry. */
export const metrics = new MetricsRegistry();
