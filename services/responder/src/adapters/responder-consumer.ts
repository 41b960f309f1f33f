import { Kvm } from '@nats-io/kv';
import {
  ACK,
  buildAllowList,
  DURABLES,
  errorMessage,
  KV_BUCKETS,
  runConsumer,
  streamName,
  validators,
  type Bus,
  type Logger,
  type Outcome,
  type RunningConsumer,
} from '@vigil/common';
import { checkResponderConfig, type ResponderConfig } from '../config.ts';
import { decideResponses, emptyMemory, offenseKey, remember, type ResponderMemory } from '../core/decide-responses.ts';
import { openRecordsOnBus, readResponseRecords, recordResponses } from './response-records.ts';

export interface RunningResponder extends RunningConsumer {
  readonly sent: number;
}

/** Registered agent ids (location `all`), read from HIDS_AGENTS. */
async function registeredAgents(bus: Bus): Promise<string[]> {
  const kv = await new Kvm(bus.nc).open(streamName(bus.config.subjectPrefix, KV_BUCKETS.agents)).catch(() => undefined);
  if (!kv) return [];
  const ids: string[] = [];
  for await (const key of await kv.keys()) ids.push(key);
  return ids;
}

/**
 * The responder: one durable on the alerts stream; each alert goes through `decideResponses`, the commands are
 * published on `hids.ar.<agent>` (id as Nats-Msg-Id) and recorded in HIDS_RESPONSES before the alert is acked.
 */
export async function startResponderConsumer(options: { bus: Bus; logger: Logger; config: ResponderConfig; now?: () => number; batchSize?: number }): Promise<RunningResponder> {
  const { bus, config } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ service: 'responder' });
  checkResponderConfig(config);
  const allow = buildAllowList(config.allow.addresses, config.allow.users);
  const kv = await openRecordsOnBus(bus);
  // Repeated offenders survive a restart: the offense counts come back from the records.
  let memory: ResponderMemory = emptyMemory();
  const offenses = new Map<string, number>();
  for (const r of await readResponseRecords(kv)) {
    const key = offenseKey(r.command.response, r.command);
    offenses.set(key, Math.max(offenses.get(key) ?? 0, r.command.offense));
  }
  memory = { ...memory, offenses };
  let sent = 0;
  const needsAgents = config.responses.some((r) => r.location === 'all');
  const consumer = await runConsumer({
    bus,
    logger,
    stage: 'responder',
    stream: bus.streams.alerts,
    durable: DURABLES.responder,
    filterSubject: bus.subjects.alertsAll(),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    handler: async (messages) => {
      const outcomes: Outcome[] = [];
      const agents = needsAgents ? await registeredAgents(bus) : [];
      for (const msg of messages) {
        let alert;
        try {
          alert = validators.alert.parse(msg.data);
        } catch (err) {
          outcomes.push({ kind: 'dead-letter', code: 'EVENT_INVALID', reason: errorMessage(err) });
          continue;
        }
        const at = now();
        const decision = decideResponses(alert, { responses: config.responses, allow, memory, now: at, agents });
        for (const s of decision.skipped) logger.info({ alert: alert.id, rule: alert.rule.id, ...s }, `response ${s.response} not sent: ${s.reason}`);
        if (decision.commands.length === 0) {
          outcomes.push(ACK);
          continue;
        }
        const results = await bus.publisher.publishAll(
          decision.commands.map((c) => ({ subject: bus.subjects.ar(c.agent), data: JSON.stringify(c), msgId: c.id })),
        );
        const failed = results.find((r) => !r.ok);
        if (failed && !failed.ok) {
          outcomes.push({ kind: 'retry', error: failed.error });
          continue;
        }
        await recordResponses(kv, decision.commands, at);
        memory = remember(memory, decision.commands, at);
        sent += decision.commands.length;
        for (const c of decision.commands) {
          logger.warn(
            { alert: alert.id, rule: alert.rule.id, response: c.response, command: c.command, agent: c.agent, srcip: c.srcip, user: c.user, timeoutSeconds: c.timeoutSeconds, dryRun: c.dryRun, offense: c.offense },
            `${c.dryRun ? 'dry run: ' : ''}${c.command} sent to ${c.agent}`,
          );
        }
        outcomes.push(ACK);
      }
      return outcomes;
    },
  });
  return {
    stop: () => consumer.stop(),
    done: consumer.done,
    stats: consumer.stats,
    get sent() {
      return sent;
    },
  };
}
