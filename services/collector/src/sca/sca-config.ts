import { Type, type Static } from '@sinclair/typebox';

/** The collector's `sca` section: which policies, how often, and how the assessed host is reached. */
export const ScaCommandsConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Run the commands of c: rules; when off they are not applicable' }),
    timeoutSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 30, description: 'A command still running at this limit is killed (its rule is not applicable)' }),
    wrapper: Type.Array(Type.String(), {
      default: [],
      description: "Put before every command to run it on the assessed host from a pod, e.g. ['chroot', '/host'] or ['nsenter', '-t', '1', '-m', '-u', '-i', '-n', '-p', '--']",
    }),
    maxOutputBytes: Type.Integer({ minimum: 1024, default: 1048576, description: "Output kept per command (stdout and stderr)" }),
  },
  { additionalProperties: false, default: {} },
);

export const ScaConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    policies: Type.Array(Type.String(), {
      default: ['builtin'],
      description: "Policy files or folders of *.yml / *.yaml; 'builtin' is Vigil's own ruleset/sca",
    }),
    disabledPolicies: Type.Array(Type.String(), { default: [], description: 'Policy ids not to scan' }),
    intervalSeconds: Type.Integer({ minimum: 60, default: 43200, description: 'Time between two scans (Wazuh: 12 h)' }),
    scanOnStart: Type.Boolean({ default: true }),
    rootDir: Type.String({ default: '/', description: "Where the assessed host's file system is: '/' on a host, '/host' in a pod" }),
    procDir: Type.Optional(Type.String({ description: "Where its processes are; default '<rootDir>/proc' when it exists, else '/proc'" })),
    commands: ScaCommandsConfig,
    stateFile: Type.String({ default: 'sca-results.json', description: "Last results per check, to report only changes across restarts (relative to the collector's state directory)" }),
  },
  { additionalProperties: false, default: {} },
);
export type ScaConfig = Static<typeof ScaConfig>;
