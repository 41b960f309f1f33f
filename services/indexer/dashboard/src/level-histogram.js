import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

const BANDS = [
  { label: 'low (0–6)', min: 0, color: '#5b8def' },
  { label: 'medium (7–11)', min: 7, color: '#f0a030' },
  { label: 'high (12+)', min: 12, color: '#e0453a' },
];

/**
 * Alerts over time by level band, as stacked bars (uPlot): each band's series is drawn as the sum of itself and the
 * bands above it, the highest band last, so each bar shows its parts.
 */
export function LevelHistogram({ buckets, intervalMs }) {
  const ref = useRef(null);
  useEffect(() => {
    const times = [...new Set(buckets.map((b) => b.time))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const perBand = BANDS.map(() => times.map(() => 0));
    for (const b of buckets) {
      const level = Number(b.key);
      const band = level >= 12 ? 2 : level >= 7 ? 1 : 0;
      perBand[band][index.get(b.time)] += b.count;
    }
    const stacked = perBand.map((_, i) => times.map((__, j) => perBand.slice(i).reduce((s, band) => s + band[j], 0)));
    const bars = uPlot.paths.bars({ size: [0.9, 40], align: 1 });
    const plot = new uPlot(
      {
        width: Math.max(300, ref.current.clientWidth),
        height: 160,
        legend: { show: false },
        scales: { x: { time: true, range: (u, min, max) => [min, max + intervalMs / 1000] } },
        axes: [{}, { size: 50 }],
        series: [{}, ...BANDS.map((b) => ({ label: b.label, fill: b.color, stroke: b.color, paths: bars, points: { show: false } }))],
      },
      [times.map((t) => t / 1000), ...stacked],
      ref.current,
    );
    return () => plot.destroy();
  }, [buckets, intervalMs]);
  return html`<div class="histogram">
    <div ref=${ref} class="histogram-plot" data-buckets=${buckets.length}></div>
    <div class="legend">${BANDS.map((b) => html`<span><i style=${`background:${b.color}`}></i>${b.label}</span>`)}</div>
  </div>`;
}
