import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ACK, buildAllowList, DURABLES, errorMessage, runConsumer, type Bus, type Logger, type Outcome, type RunningConsumer } from '@vigil/common';
import type { ActiveResponseConfig } from '../active-response-config.ts';
import { admitCommand } from '../core/active-response/admit-command.ts';
import { arNotice } from '../core/active-response/ar-notice.ts';
import { ActiveResponseState, type PendingRevert } from './active-response-state.ts';
import { commandRunner } from './command-runner.ts';
import { ResponseExecutor } from './response-executor.ts';
import type { SpoolStore } from './spool-store.ts';

/** This host's own addresses: never blocked (a spoofed srcip of the node itself must not cut it off). */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address.replace(/%.*$/, '')] : []));
}

export interface RunningActiveResponse {
  stop(): Promise<void>;
  /** Runs the reverts that are due now (also on a timer). */
  revertDue(): Promise<void>;
  readonly state: ActiveResponseState;
}

/**
 * The collector's executor of active-response commands: its own durable (`ar-<agent>`) on `hids.ar.<agent>` in
 * HIDS_AR, so commands sent while it was down arrive when it is back. Each command is admitted (or refused), run
 * once per id, recorded with its pending revert, reported as a notice (rules 201300-201304), then acked. Reverts
 * are run on time from the state file, also after a restart.
 */
export async function startActiveResponse(options: {
  bus: Bus;
  logger: Logger;
  config: ActiveResponseConfig;
  agent: string;
  stateDir: string;
  spool: SpoolStore;
  now?: () => number;
}): Promise<RunningActiveResponse> {
  const { bus, config, agent, spool } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ component: 'active-response' });
  const allow = buildAllowList([...config.allow.addresses, ...ownAddresses()], config.allow.users);
  const state = new ActiveResponseState(join(options.stateDir, `active-response-${agent}.json`));
  const activeKeys = (c: { script?: string }) =>
    new Set(state.pending().filter((p) => p.command.command === 'custom' && p.command.script === c.script).flatMap((p) => [p.command.srcip, p.command.user].filter((k): k is string => !!k)));
  const executor = new ResponseExecutor(config, commandRunner(config.commandPrefix), activeKeys);
  const report = (...args: Parameters<typeof arNotice>) => spool.append([arNotice(...args)]);
  // One operation at a time: an action and a revert of the same target never interleave.
  let serial: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = serial.then(fn, fn);
    serial = next.catch(() => {});
    return next;
  };

  const handle = async (data: Uint8Array): Promise<Outcome> => {
    const admission = admitCommand(data, { agent, allow, scripts: Object.keys(config.scripts) });
    if (!admission.ok) {
      if (admission.id && state.has(admission.id)) return ACK;
      logger.warn({ id: admission.id, reason: admission.reason }, 'active-response command refused (AR_REFUSED)');
      report('refused', { ...(admission.id ? { id: admission.id } : {}) }, admission.reason);
      if (admission.id) state.record(admission.id, now());
      return ACK;
    }
    const command = admission.command;
    if (state.has(command.id)) return ACK;
    if (command.dryRun) {
      logger.warn({ id: command.id, response: command.response, srcip: command.srcip, user: command.user }, 'active response (dry run): not executed');
      report('dry_run', command, `dry run: would run ${command.command} for alert ${command.alert.id} (rule ${command.alert.rule.id}: ${command.alert.rule.description})`);
      state.record(command.id, now());
      return ACK;
    }
    try {
      const what = await exclusive(() => executor.run(command, 'add'));
      const at = now();
      const revert: PendingRevert | undefined = command.timeoutSeconds > 0 ? { command, executedAt: at, revertAt: at + command.timeoutSeconds * 1000 } : undefined;
      state.record(command.id, at, revert);
      logger.warn({ id: command.id, response: command.response, timeoutSeconds: command.timeoutSeconds }, `active response executed: ${what}`);
      report('executed', command, `${what} (alert ${command.alert.id}, rule ${command.alert.rule.id}: ${command.alert.rule.description}; offense ${command.offense})`);
    } catch (err) {
      logger.error({ err, id: command.id }, 'active response failed (AR_FAILED)');
      report('failed', command, `add failed: ${errorMessage(err)}`);
      state.record(command.id, now());
    }
    return ACK;
  };

  const failedReverts = new Map<string, number>();
  const revertDue = async (): Promise<void> => {
    for (const due of state.due(now())) {
      const retryAt = failedReverts.get(due.command.id);
      if (retryAt !== undefined && retryAt > now()) continue;
      try {
        const what = await exclusive(() => executor.run(due.command, 'delete'));
        state.reverted(due.command.id);
        failedReverts.delete(due.command.id);
        logger.warn({ id: due.command.id, response: due.command.response }, `active response reverted: ${what}`);
        report('reverted', due.command, `${what} after ${Math.round((now() - due.executedAt) / 1000)}s (timeout ${due.command.timeoutSeconds}s)`);
      } catch (err) {
        // Kept pending and tried again in a minute; reported once per attempt.
        failedReverts.set(due.command.id, now() + 60_000);
        logger.error({ err, id: due.command.id }, 'active response revert failed (AR_FAILED); retried in a minute');
        report('failed', due.command, `revert failed: ${errorMessage(err)}`);
      }
    }
  };
  let reverting: Promise<void> | undefined;
  const timer = setInterval(() => {
    reverting ??= revertDue().finally(() => (reverting = undefined));
  }, config.revertCheckMs);
  timer.unref();
  await revertDue();

  const consumer: RunningConsumer = await runConsumer({
    bus,
    logger,
    stage: 'active-response',
    stream: bus.streams.ar,
    durable: DURABLES.activeResponse(agent),
    filterSubject: bus.subjects.ar(agent),
    batchSize: 16,
    handler: async (messages) => {
      const out: Outcome[] = [];
      for (const msg of messages) out.push(await handle(msg.data));
      return out;
    },
  });
  return {
    state,
    revertDue,
    async stop() {
      clearInterval(timer);
      await consumer.stop();
      await reverting;
      await serial;
    },
  };
}
