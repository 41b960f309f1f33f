import {
  describeUse,
  errorMessage,
  MANAGER_AGENT_ID,
  startStreamWatch,
  storageAlert,
  type BudgetObservation,
  type Bus,
  type Logger,
  type StreamObservation,
  type StreamWatch,
} from '@vigil/common';

/**
 * Raises Vigil's storage alerts (rules 201100 at 80%, 201101 at 95% of a budget): publishes the alert of an
 * observation that crossed a threshold on `hids.alerts.<level>.000.<rule>`, with its id as Nats-Msg-Id.
 */
export function storageAlerter(options: { bus: Bus; logger: Logger; managerName: string; now?: () => number }) {
  const { bus, logger } = options;
  const now = options.now ?? Date.now;
  return async (o: BudgetObservation & { discard?: 'new' | 'old' }): Promise<void> => {
    if (o.crossed === undefined) return;
    const alert = storageAlert({ ...o, crossed: o.crossed }, { managerName: options.managerName, now: now(), ...(o.discard ? { discard: o.discard } : {}) });
    logger.warn({ service: 'indexer', rule: alert.rule.id, store: o.use.store, name: o.use.name }, alert.rule.description);
    try {
      const [result] = await bus.publisher.publishAll([
        { subject: bus.subjects.alert(alert.rule.level, MANAGER_AGENT_ID, alert.rule.id), data: JSON.stringify(alert), msgId: alert.id },
      ]);
      if (result && !result.ok) throw result.error;
    } catch (err) {
      logger.error({ err: errorMessage(err), store: describeUse(o) }, 'could not publish the storage alert');
    }
  };
}

/** Watches the four streams against their budgets (metrics and alerts; the consuming stages trim them). */
export function watchStreamBudgets(options: { bus: Bus; logger: Logger; managerName: string; intervalMs: number }): StreamWatch {
  const alert = storageAlerter(options);
  const { bus } = options;
  return startStreamWatch({
    bus,
    logger: options.logger.child({ service: 'indexer', task: 'stream-budgets' }),
    streams: [bus.streams.raw, bus.streams.decoded, bus.streams.alerts, bus.streams.dlq],
    intervalMs: options.intervalMs,
    onObservation: (o: StreamObservation) => alert(o),
  });
}
