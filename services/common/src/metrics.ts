import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The process's metrics, served by the health server's `GET /metrics` through `prom-client`'s registry and its
 * Prometheus text exposition. One registry per process (`processMetrics`): the services of `vigil start` share it,
 * so one scrape shows them all. Services set gauges and count events by name and labels; a metric always has the
 * same label names.
 */
export type MetricLabels = Readonly<Record<string, string>>;

/** Label names in a fixed order, so a series prints the same whatever order its caller built the labels in. */
function sorted(labels: MetricLabels): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k] as string]));
}

const keyOf = (labels: MetricLabels) => JSON.stringify(sorted(labels));

interface Series {
  metric: Gauge<string> | Counter<string>;
  /** Each series' labels and last value, so `get` answers synchronously and `replace` can find series. */
  values: Map<string, { labels: MetricLabels; value: number }>;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly series = new Map<string, Series>();

  private metric(name: string, help: string, labels: MetricLabels, kind: 'gauge' | 'counter'): Series {
    let s = this.series.get(name);
    if (!s) {
      const options = { name, help, labelNames: Object.keys(labels).sort(), registers: [this.registry] };
      s = { metric: kind === 'gauge' ? new Gauge(options) : new Counter(options), values: new Map() };
      this.series.set(name, s);
    }
    return s;
  }

  /** Sets a gauge. With `replace`, every other series of that gauge matching `replace` is removed first. */
  set(name: string, help: string, labels: MetricLabels, value: number, replace?: MetricLabels): void {
    const s = this.metric(name, help, labels, 'gauge');
    if (replace) {
      for (const [k, v] of s.values) {
        if (Object.entries(replace).every(([l, x]) => v.labels[l] === x)) {
          s.metric.remove(sorted(v.labels));
          s.values.delete(k);
        }
      }
    }
    (s.metric as Gauge<string>).set(sorted(labels), value);
    s.values.set(keyOf(labels), { labels, value });
  }

  /** Counts up a counter. */
  inc(name: string, help: string, labels: MetricLabels, by = 1): void {
    const s = this.metric(name, help, labels, 'counter');
    (s.metric as Counter<string>).inc(sorted(labels), by);
    const k = keyOf(labels);
    s.values.set(k, { labels, value: (s.values.get(k)?.value ?? 0) + by });
  }

  /** Removes one series (a store that went away). */
  remove(name: string, labels: MetricLabels): void {
    const s = this.series.get(name);
    if (!s) return;
    s.metric.remove(sorted(labels));
    s.values.delete(keyOf(labels));
  }

  /** The value of one series (tests, `vigil status`). */
  get(name: string, labels: MetricLabels): number | undefined {
    return this.series.get(name)?.values.get(keyOf(labels))?.value;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  async render(): Promise<string> {
    return await this.registry.metrics();
  }
}

/** The registry of this process: what `/metrics` serves. */
export const processMetrics = new MetricsRegistry();
