/**
 * Gauges in the Prometheus text format, served on the health server's `GET /metrics`. One registry per process
 * (`metrics`): the services of `vigil start` share it, so one scrape shows them all.
 */
export type Labels = Record<string, string>;

interface Gauge {
  help: string;
  values: Map<string, { labels: Labels; value: number }>;
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${(labels[k] as string).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

export class MetricsRegistry {
  private readonly gauges = new Map<string, Gauge>();

  /** Sets a gauge's value for these labels (names: [a-zA-Z_:][a-zA-Z0-9_:]*). */
  set(name: string, help: string, labels: Labels, value: number): void {
    let g = this.gauges.get(name);
    if (!g) {
      g = { help, values: new Map() };
      this.gauges.set(name, g);
    }
    g.values.set(labelKey(labels), { labels, value });
  }

  /** Removes a gauge's value for these labels (a store that went away). */
  remove(name: string, labels: Labels): void {
    this.gauges.get(name)?.values.delete(labelKey(labels));
  }

  get(name: string, labels: Labels): number | undefined {
    return this.gauges.get(name)?.values.get(labelKey(labels))?.value;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const [name, g] of [...this.gauges.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (g.values.size === 0) continue;
      lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
      for (const [key, { value }] of g.values) lines.push(`${name}${key === '' ? '' : `{${key}}`} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }
}

/** The process's registry. */
export const metrics = new MetricsRegistry();
