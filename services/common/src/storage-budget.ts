/**
 * Disk budgets of Vigil's stores (the SQLite index, each JetStream stream, the collector spool): how full each is,
 * how fast it grows, and when it crosses a warning threshold. Pure: the adapters measure, this decides.
 */

/** The kinds of store that have a budget. */
export type StoreKind = 'index' | 'stream' | 'spool';

/** One measurement of a store. `budgetBytes` ≤ 0 means no budget. */
export interface StoreUse {
  store: StoreKind;
  /** The SQLite file, the stream name or the spool file. */
  name: string;
  usedBytes: number;
  budgetBytes: number;
}

/** The fractions of a budget at which one alert is raised (each once, until the use falls back below it). */
export const BUDGET_THRESHOLDS = [0.8, 0.95] as const;

/** How far below a threshold the use must fall before crossing it again raises another alert. */
export const THRESHOLD_HYSTERESIS = 0.05;

/** The growth rate is measured over the samples of this last period. */
export const RATE_WINDOW_MS = 15 * 60_000;

export interface BudgetWatch {
  /** The highest threshold (index in BUDGET_THRESHOLDS) the use is at or above, -1 for none. */
  level: number;
  samples: Array<{ at: number; bytes: number }>;
}

export interface BudgetObservation {
  use: StoreUse;
  /** usedBytes / budgetBytes, 0 without a budget. */
  ratio: number;
  /** Bytes per second over the rate window (negative when shrinking), 0 with fewer than two samples. */
  growthBytesPerSecond: number;
  /** Set when this observation crossed a threshold upwards: the fraction crossed. */
  crossed?: number;
}

export function newBudgetWatch(): BudgetWatch {
  return { level: -1, samples: [] };
}

export function fillRatio(use: Pick<StoreUse, 'usedBytes' | 'budgetBytes'>): number {
  return use.budgetBytes > 0 ? use.usedBytes / use.budgetBytes : 0;
}

/** Records a measurement taken at `at` (epoch ms): updates the watch in place and says what changed. */
export function observeUse(watch: BudgetWatch, use: StoreUse, at: number): BudgetObservation {
  watch.samples.push({ at, bytes: use.usedBytes });
  while (watch.samples.length > 2 && (watch.samples[0] as { at: number }).at < at - RATE_WINDOW_MS) watch.samples.shift();
  const first = watch.samples[0] as { at: number; bytes: number };
  const growthBytesPerSecond = at > first.at ? ((use.usedBytes - first.bytes) * 1000) / (at - first.at) : 0;
  const ratio = fillRatio(use);
  let level = -1;
  BUDGET_THRESHOLDS.forEach((t, i) => {
    // Above the threshold, or still within the hysteresis band of one already crossed.
    if (ratio >= t || (i <= watch.level && ratio >= t - THRESHOLD_HYSTERESIS)) level = i;
  });
  const crossed = level > watch.level ? BUDGET_THRESHOLDS[level] : undefined;
  watch.level = level;
  return { use, ratio, growthBytesPerSecond, ...(crossed !== undefined ? { crossed } : {}) };
}

/** Bytes as people read them: 1.5 GiB, 300 MiB, 12 KiB, 800 B. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${bytes < 0 ? '-' : ''}${text} ${units[unit]}`;
}

/** A growth rate in words: "grows 3 MiB/h", "shrinks 1 KiB/h", "steady". */
export function formatGrowth(bytesPerSecond: number): string {
  const perHour = bytesPerSecond * 3600;
  if (Math.abs(perHour) < 1) return 'steady';
  return `${perHour > 0 ? 'grows' : 'shrinks'} ${formatBytes(Math.abs(perHour))}/h`;
}

/** When, at the current rate, the store reaches its budget (ms from now), or undefined when it does not grow. */
export function timeToFull(use: Pick<StoreUse, 'usedBytes' | 'budgetBytes'>, growthBytesPerSecond: number): number | undefined {
  if (use.budgetBytes <= 0 || growthBytesPerSecond <= 0) return undefined;
  return (Math.max(0, use.budgetBytes - use.usedBytes) / growthBytesPerSecond) * 1000;
}

/** One line per store, for logs and `vigil status`: "stream HIDS_RAW: 820 MiB of 1 GiB (80%), grows 3 MiB/h". */
export function describeUse(o: Pick<BudgetObservation, 'use' | 'ratio' | 'growthBytesPerSecond'>): string {
  const { use } = o;
  const budget = use.budgetBytes > 0 ? ` of ${formatBytes(use.budgetBytes)} (${Math.floor(o.ratio * 100)}%)` : ' (no budget)';
  return `${use.store} ${use.name}: ${formatBytes(use.usedBytes)}${budget}, ${formatGrowth(o.growthBytesPerSecond)}`;
}
