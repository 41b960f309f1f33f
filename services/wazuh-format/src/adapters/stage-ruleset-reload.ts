import { Type, type Static } from '@sinclair/typebox';
import { errorMessage, processMetrics, rulesetRefusedAlert, startRulesetRecord, type Bus, type Logger } from '@vigil/common';
import { startRulesetReloader, type RulesetRead, type RulesetReloader } from './ruleset-reloader.ts';

/** The `reload` key of the decoder and of the rule engine. */
export const RulesetReloadConfig = Type.Object(
  {
    watch: Type.Boolean({ default: true, description: 'Reload when a file under the ruleset paths changes (a ConfigMap update too); SIGHUP always reloads' }),
    debounceMs: Type.Integer({ minimum: 0, default: 500, description: 'Wait for this long without a change before reloading' }),
    pollSeconds: Type.Integer({ minimum: 0, default: 60, description: 'Also re-read the files this often, in case a change was not seen (0: never)' }),
  },
  { additionalProperties: false, default: {} },
);
export type RulesetReloadConfig = Static<typeof RulesetReloadConfig>;

export interface StageRulesetReload extends RulesetReloader {
  stop(): void;
}

/**
 * A stage's ruleset in service and its hot reload (see startRulesetReloader): records the hash in `/metrics` and
 * in the `HIDS_RULESETS` bucket at start and after every reload, counts reloads by result
 * (`vigil_ruleset_reloads_total`), and publishes the alert of a refused reload (rule 209001) to the alerts stream.
 */
export async function startStageRulesetReload<T>(options: {
  bus: Bus;
  logger: Logger;
  service: 'decoder' | 'rule-engine';
  replica: string;
  managerName: string;
  paths: readonly string[];
  hash: string;
  config: RulesetReloadConfig;
  read(): RulesetRead<T>;
  apply(value: T, hash: string): Promise<void>;
}): Promise<StageRulesetReload> {
  const { bus, logger, service, replica } = options;
  const record = startRulesetRecord(bus, logger, service, replica);
  await record.loaded(options.hash);
  const count = (result: string) => processMetrics.inc('vigil_ruleset_reloads_total', 'Ruleset reloads by result (applied, refused)', { service, result });
  const reloader = startRulesetReloader<T>({
    service,
    paths: options.paths,
    hash: options.hash,
    logger,
    watch: options.config.watch,
    debounceMs: options.config.debounceMs,
    pollMs: options.config.pollSeconds * 1000,
    read: options.read,
    apply: async (value, hash) => {
      await options.apply(value, hash);
      count('applied');
      await record.loaded(hash);
    },
    refused: async (hash, errors) => {
      count('refused');
      const { alert, msgId } = rulesetRefusedAlert({ service, replica, managerName: options.managerName, running: reloader.hash, refused: hash, errors, now: new Date() });
      const [r] = await bus.publisher.publishAll([{ subject: bus.subjects.alert(alert.rule.level, alert.agent.id, alert.rule.id), data: JSON.stringify(alert), msgId }]);
      if (r && !r.ok) logger.error({ service, err: errorMessage(r.error) }, 'the alert of a refused ruleset reload was not stored');
    },
  });
  return Object.assign(reloader, {
    stop() {
      reloader.close();
      record.stop();
    },
  }) as StageRulesetReload;
}
