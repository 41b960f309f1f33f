import { Type, type Static } from '@sinclair/typebox';
import { Predecoder } from './decoded-event.ts';

const StringList = Type.Array(Type.String());

export const AlertRule = Type.Object(
  {
    id: Type.String(),
    level: Type.Integer({ minimum: 0, maximum: 16 }),
    description: Type.String(),
    firedtimes: Type.Integer({ minimum: 1 }),
    mail: Type.Boolean(),
    groups: StringList,
    frequency: Type.Optional(Type.Integer()),
    info: Type.Optional(Type.Unknown()),
    pci_dss: Type.Optional(StringList),
    gdpr: Type.Optional(StringList),
    hipaa: Type.Optional(StringList),
    nist_800_53: Type.Optional(StringList),
    tsc: Type.Optional(StringList),
    gpg13: Type.Optional(StringList),
    mitre: Type.Optional(Type.Object({ id: StringList, tactic: StringList, technique: StringList })),
  },
  { additionalProperties: true },
);

/**
 * An alert in the Wazuh alert JSON shape, so that dashboards and scripts written for Wazuh alerts read Vigil's
 * unchanged. Extra objects (`syscheck`, `sca`, ...) are allowed as in Wazuh.
 */
export const Alert = Type.Object(
  {
    timestamp: Type.String({ description: 'Wazuh format: 2024-01-31T12:00:00.000+0000' }),
    rule: AlertRule,
    agent: Type.Object({ id: Type.String(), name: Type.String(), ip: Type.Optional(Type.String()) }),
    manager: Type.Object({ name: Type.String() }),
    id: Type.String({ description: 'Deterministic from the event: a redelivered event gives the same id' }),
    full_log: Type.Optional(Type.String()),
    predecoder: Type.Optional(Predecoder),
    /** `{}` when no decoder matched, as in Wazuh. */
    decoder: Type.Optional(
      Type.Object({
        name: Type.Optional(Type.String()),
        parent: Type.Optional(Type.String()),
        ftscomment: Type.Optional(Type.String()),
        accumulate: Type.Optional(Type.Integer()),
      }),
    ),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    location: Type.String(),
    previous_output: Type.Optional(Type.String()),
    syscheck: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Vigil's own facts about the alert (not in Wazuh's alerts): the content hash of the ruleset that judged it. */
    vigil: Type.Optional(Type.Object({ ruleset: Type.Optional(Type.String()) }, { additionalProperties: true })),
  },
  { additionalProperties: true, $id: 'https://vigil.dev/schemas/alert.json', title: 'Vigil alert (Wazuh alert JSON)' },
);
export type Alert = Static<typeof Alert>;
