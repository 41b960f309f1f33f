import { Type, type Static } from '@sinclair/typebox';

/** Settings every stage must agree on. */
export const PipelineConfig = Type.Object(
  {
    partitions: Type.Integer({
      minimum: 1,
      maximum: 1024,
      default: 8,
      description: 'Decoded events are split by hash(agent) mod partitions; rule-engine replicas share the partitions',
    }),
    managerName: Type.Optional(Type.String({ description: "manager.name in alerts; default: this host's name" })),
  },
  { additionalProperties: false, default: {} },
);
export type PipelineConfig = Static<typeof PipelineConfig>;
