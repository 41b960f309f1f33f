/**
 * The process's metrics, served as Prometheus text by the health server's `GET /metrics`. Services set gauges
 * (by name and labels) and count events; the registry keeps no history.
 */
export type MetricLabels = Readonly<Record<string, string>>;

interface Metric {
  help: string;
  type: 'gauge' | 'counter';
  values: Map<string, { labels: MetricLabels; value: number }>;
}

const keyOf = (labels: MetricLabels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  private metric(name: string, help: string, type: Metric['type']): Metric {
    let m = this.metrics.get(name);
    if (!m) this.metrics.set(name, (m = { help, type, values: new Map() }));
    return m;
  }

  /** Sets a gauge. With `replace`, every other series of that gauge matching `replace` is removed first. */
  set(name: string, help: string, labels: MetricLabels, value: number, replace?: MetricLabels): void {
    const m = this.metric(name, help, 'gauge');
    if (replace) {
      for (const [k, v] of m.values) if (Object.entries(replace).every(([l, x]) => v.labels[l] === x)) m.values.delete(k);
    }
    m.values.set(keyOf(labels), { labels, value });
  }

  inc(name: string, help: string, labels: MetricLabels, by = 1): void {
    const m = this.metric(name, help, 'counter');
    const k = keyOf(labels);
    const v = m.values.get(k);
    m.values.set(k, { labels, value: (v?.value ?? 0) + by });
  }

  /** The value of one series (tests, `vigil status`). */
  get(name: string, labels: MetricLabels): number | undefined {
    return this.metrics.get(name)?.values.get(keyOf(labels))?.value;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const [name, m] of this.metrics) {
      lines.push(`# HELP ${name} ${m.help}`, `# TYPE ${name} ${m.type}`);
      for (const { labels, value } of m.values.values()) {
        const l = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
        lines.push(`${name}${l ? `{${l}}` : ''} ${value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

/** The registry of this process: what `/metrics` serves. */
export const processMetrics = new MetricsRegistry();
