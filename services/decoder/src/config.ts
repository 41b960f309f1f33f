import { Type, type Static } from '@sinclair/typebox';
import { RulesetReloadConfig } from '@vigil/wazuh-format';

export const DecoderConfig = Type.Object(
  {
    batchSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: nats.consumers.batchSize' })),
    rulesets: Type.Array(Type.String(), {
      default: ['builtin'],
      description:
        "Ruleset folders (with decoders/ inside) or folders/files of decoder XML, sorted by file name across all of them as Wazuh does; 'builtin' is Vigil's own ruleset",
    }),
    reload: RulesetReloadConfig,
    ossecConf: Type.Optional(
      Type.String({
        description:
          "An OSSEC or Wazuh manager's ossec.conf: the decoder files of its <rules>/<ruleset> block are loaded in its order, instead of 'rulesets' (without any, OSSEC's etc/decoder.xml)",
      }),
    ),
  },
  { additionalProperties: false, default: {} },
);
export type DecoderConfig = Static<typeof DecoderConfig>;
