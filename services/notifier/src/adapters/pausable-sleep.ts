/** Sleeps that can be cut short: by `wake()` (new work arrived) or for good by `cancel()` (shutting down). */
export interface Sleeper {
  /** Resolves after `ms`, or earlier on wake() (if `wakeable`) or cancel(). Returns false once cancelled. */
  sleep(ms: number | undefined, wakeable: boolean): Promise<boolean>;
  wake(): void;
  cancel(): void;
  readonly cancelled: boolean;
}

export function createSleeper(): Sleeper {
  let cancelled = false;
  const waiting = new Set<{ resolve: (value: boolean) => void; wakeable: boolean; timer: NodeJS.Timeout | undefined }>();
  const release = (filter: (w: { wakeable: boolean }) => boolean) => {
    for (const w of [...waiting]) {
      if (!filter(w)) continue;
      waiting.delete(w);
      if (w.timer) clearTimeout(w.timer);
      w.resolve(!cancelled);
    }
  };
  return {
    get cancelled() {
      return cancelled;
    },
    sleep(ms, wakeable) {
      if (cancelled) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const entry = { resolve, wakeable, timer: undefined as NodeJS.Timeout | undefined };
        if (ms !== undefined) {
          entry.timer = setTimeout(() => {
            waiting.delete(entry);
            resolve(!cancelled);
          }, Math.max(0, ms));
        }
        waiting.add(entry);
      });
    },
    wake() {
      release((w) => w.wakeable);
    },
    cancel() {
      cancelled = true;
      release(() => true);
    },
  };
}
