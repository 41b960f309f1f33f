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
  },
  { additionalProperties: false, default: {} },
);
export type DecoderConfig = Static<typeof DecoderConfig>;
