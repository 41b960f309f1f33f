import { Type, type Static } from '@sinclair/typebox';
import { RulesetReloadConfig } from '@vigil/wazuh-format';

export const RuleEngineConfig = Type.Object(
  {
    rulesets: Type.Array(Type.String(), {
      default: ['builtin'],
      description: "Ruleset folders (with rules/ inside) or folders/files of rule XML, loaded in this order; 'builtin' is Vigil's own ruleset",
    }),
    reload: RulesetReloadConfig,
    partitions: Type.Union([Type.Literal('all'), Type.Array(Type.Integer({ minimum: 0 }))], {
      default: 'all',
      description: "Partitions this replica owns: 'all', or a list. With replica.count > 1, derived from replica.index",
    }),
    workers: Type.Integer({
      minimum: 0,
      maximum: 64,
      default: 0,
      description: "Worker threads evaluating rules (agents sharded by hash); 0 evaluates in the consumer's thread",
    }),
    clock: Type.Union([Type.Literal('processing'), Type.Literal('event')], {
      default: 'processing',
      description: "What correlation windows count: 'processing' time as Wazuh does, or the events' own 'event' time (replays correlate as live)",
    }),
    alertLevel: Type.Integer({ minimum: 0, maximum: 16, default: 3, description: "Rules from this level on produce alerts (Wazuh's log_alert_level)" }),
    ossecConf: Type.Optional(
      Type.String({
        description:
          "An OSSEC or Wazuh manager's ossec.conf: the rule files and CDB lists of its <rules>/<ruleset> block are loaded in its order, instead of 'rulesets' (paths relative to its installation folder: the parent of etc/)",
      }),
    ),
    semantics: Type.Union([Type.Literal('wazuh'), Type.Literal('ossec')], {
      default: 'wazuh',
      description:
        "Correlation semantics: 'wazuh', or 'ossec' for an OSSEC manager's rules (a frequency rule fires on the (frequency + 2)-th matching event; an event already fired on stops the search before same_* is compared)",
    }),
    geoipDatabase: Type.Optional(
      Type.String({ description: 'A GeoLite2/GeoIP2 City database (.mmdb) for srcgeoip/dstgeoip rule conditions; without it they never match (a load warning)' }),
    ),
    replica: Type.Object(
      {
        index: Type.Integer({ minimum: 0, default: 0, description: 'This replica (StatefulSet ordinal); env VIGIL_REPLICA_INDEX' }),
        count: Type.Integer({ minimum: 1, default: 1, description: 'How many rule-engine replicas share the partitions' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type RuleEngineConfig = Static<typeof RuleEngineConfig>;

/** The partitions a replica owns: every partition p with p mod count = index, unless listed explicitly. */
export function ownedPartitions(config: Pick<RuleEngineConfig, 'partitions' | 'replica'>, total: number): number[] {
  if (config.partitions !== 'all') return config.partitions.filter((p) => p < total);
  const owned: number[] = [];
  for (let p = 0; p < total; p++) if (p % config.replica.count === config.replica.index) owned.push(p);
  return owned;
}
