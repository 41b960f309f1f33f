import type { JsMsg } from '@nats-io/jetstream';
import {
  ACK,
  DURABLES,
  InvalidMessageError,
  runConsumer,
  validators,
  type Bus,
  type Logger,
  type Outcome,
  type RunningConsumer,
} from '@vigil/common';
import { evaluateEvent, newEngineState } from '../core/rule-engine.ts';
import type { RuleTree } from '../core/rule-types.ts';

/**
 * One consumer per owned partition. Messages of a partition are evaluated in the order delivered, on the state
 * of that partition; alerts are published with their id as Nats-Msg-Id, and the decoded event is acked once its
 * alert is stored.
 */
export async function startRuleEngineConsumers(options: {
  bus: Bus;
  logger: Logger;
  tree: RuleTree;
  partitions: readonly number[];
  managerName: string;
  batchSize?: number;
}): Promise<RunningConsumer[]> {
  const { bus, tree, managerName } = options;
  const logger = options.logger.child({ service: 'rule-engine' });
  const consumers: RunningConsumer[] = [];
  for (const partition of options.partitions) {
    const state = newEngineState();
    const handle = async (messages: readonly JsMsg[]): Promise<Outcome[]> => {
      const outcomes: Outcome[] = new Array(messages.length);
      const publishes: Array<Promise<unknown>> = [];
      const index: number[] = [];
      messages.forEach((msg, i) => {
        try {
          const event = validators.decodedEvent.parse(msg.data);
          const fromSubject = bus.subjects.parseDecoded(msg.subject);
          if (!fromSubject || fromSubject.agent !== event.agent.id) {
            throw new InvalidMessageError('AGENT_MISMATCH', `agent id '${event.agent.id}' differs from the subject ${msg.subject}`);
          }
          const result = evaluateEvent(tree, state, event, managerName);
          if (!result.alert) {
            outcomes[i] = ACK;
            return;
          }
          const alert = result.alert;
          publishes.push(bus.js.publish(bus.subjects.alert(alert.rule.level, alert.agent.id, alert.rule.id), JSON.stringify(alert), { msgID: alert.id }));
          index.push(i);
        } catch (err) {
          if (err instanceof InvalidMessageError) outcomes[i] = { kind: 'dead-letter', code: err.code, reason: err.message };
          else outcomes[i] = { kind: 'dead-letter', code: 'PROCESSING_FAILED', reason: `rule evaluation failed: ${(err as Error).message}` };
        }
      });
      const results = await Promise.allSettled(publishes);
      results.forEach((r, k) => {
        outcomes[index[k] as number] = r.status === 'fulfilled' ? ACK : { kind: 'retry', error: r.reason };
      });
      return outcomes;
    };
    consumers.push(
      await runConsumer({
        bus,
        stream: bus.streams.decoded,
        durable: DURABLES.ruleEngine(partition),
        filterSubject: bus.subjects.decodedPartition(partition),
        stage: 'rule-engine',
        handler: handle,
        logger: logger.child({ partition }),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      }),
    );
  }
  return consumers;
}
