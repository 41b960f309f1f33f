import { Type, type Static } from '@sinclair/typebox';
import { ActiveResponseConfig } from './active-response-config.ts';
import { ScaConfig } from './sca/sca-config.ts';
import { FimConfig } from './fim-config.ts';
import { K8sAuditWebhookConfig } from './k8s-audit-webhook-config.ts';
import { InventoryConfig } from './inventory-config.ts';

export const LogFileConfig = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'A file, or a glob (`*`, `?`, `[...]`, `{a,b}`, `**`, `\\` to escape; a segment without them is literal); globs are expanded again every globRefreshMs' }),
    /** Where to start in a file seen for the first time: only new lines (`end`, like Wazuh) or all of it. */
    startAt: Type.Union([Type.Literal('end'), Type.Literal('beginning')], { default: 'end' }),
    format: Type.Optional(Type.Union([Type.Literal('syslog'), Type.Literal('json'), Type.Literal('multi-line-regex')], {
      default: 'syslog',
      description:
        "Like Wazuh's log_format: `syslog` (one line, one event), `json` (one JSON object per line; a line that is not JSON is flagged), `multi-line-regex` (a record starts at each line matching multilineStart)",
    })),
    multilineStart: Type.Optional(Type.String({ minLength: 1, description: 'JavaScript regex a line must match to start a new record (format multi-line-regex)' })),
    multilineTimeoutMs: Type.Optional(Type.Integer({ minimum: 10, default: 1000, description: 'A record with no continuation for this long is sent as complete' })),
  },
  { additionalProperties: false },
);
export type LogFileConfig = Static<typeof LogFileConfig>;

export const CommandConfig = Type.Object(
  {
    command: Type.String({ minLength: 1, description: 'Run with /bin/sh -c' }),
    alias: Type.Optional(Type.String({ minLength: 1, description: 'Name used in the event (default: the command itself)' })),
    frequencySeconds: Type.Integer({ minimum: 1, default: 360, description: "Like Wazuh's <frequency>" }),
    full: Type.Boolean({ default: false, description: "Like Wazuh's full_command: the whole output is one event (else one event per line)" }),
    timeoutSeconds: Type.Integer({ minimum: 1, default: 60 }),
  },
  { additionalProperties: false },
);
export type CommandConfig = Static<typeof CommandConfig>;

export const JournalConfig = Type.Object(
  {
    enabled: Type.Union([Type.Boolean(), Type.Literal('auto')], {
      default: 'auto',
      description:
        "Follow the systemd journal (journalctl -o json --follow; its cursor is kept across restarts). `auto`: when hostLogs is on and this host has no classic authentication log (/var/log/auth.log, /var/log/secure), as on Debian 12, Ubuntu and most Kubernetes node images",
    }),
    units: Type.Array(Type.String(), { default: [], description: 'Only these units (journalctl -u); empty: all' }),
    directory: Type.Optional(Type.String({ minLength: 1, description: "Read the journal files in this directory (journalctl -D), e.g. the node's /var/log/journal under a DaemonSet's host mount" })),
  },
  { additionalProperties: false, default: {} },
);
export type JournalConfig = Static<typeof JournalConfig>;

export const AuditLogConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Publish complete audit events (records merged by serial, hex fields decoded) as kind audit' }),
    path: Type.String({ default: '/var/log/audit/audit.log' }),
    containers: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description:
            'Name the container and Kubernetes pod each audited process ran in (from /proc/<pid>/cgroup and the kubelet log directories), as a VIGIL_CONTAINER record of the event and payload.audit.container',
        }),
        procDir: Type.String({ default: '/proc', description: "The node's /proc (a DaemonSet needs hostPID)" }),
        containerLogDir: Type.String({ default: '/var/log/containers', description: 'Where the kubelet links each container log as <pod>_<namespace>_<container>-<id>.log' }),
        podLogDir: Type.String({ default: '/var/log/pods', description: 'Where the kubelet keeps one <namespace>_<pod>_<uid> directory per pod' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export const SpoolConfig = Type.Object(
  {
    maxBytes: Type.Integer({
      minimum: 1024 * 1024,
      default: 256 * 1024 * 1024,
      description: 'Upper bound of the on-disk queue of unsent events; when full, sources wait (files are read later) rather than drop',
    }),
    budgetCheckSeconds: Type.Number({
      exclusiveMinimum: 0,
      default: 30,
      description: 'How often the spool is measured against maxBytes: metrics, and a storage_budget notice (an alert) at 80% and 95%',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const RegistryConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Announce this agent in the agent registry (JetStream key-value bucket)' }),
    keepaliveSeconds: Type.Integer({ minimum: 1, default: 30, description: "Like Wazuh's notify_time" }),
  },
  { additionalProperties: false, default: {} },
);

export const CollectorConfig = Type.Object(
  {
    stateDir: Type.String({ default: 'collector', description: 'Spool, offsets, sequence numbers and the FIM baseline (relative to dataDir)' }),
    files: Type.Array(LogFileConfig, { default: [], description: "Log files to tail (Wazuh's <localfile>)" }),
    hostLogs: Type.Boolean({ default: true, description: "Also tail this host's usual logs (/var/log/auth.log, syslog, ...) where present" }),
    hostLogPaths: Type.Array(Type.String(), {
      default: ['/var/log/auth.log', '/var/log/secure', '/var/log/syslog', '/var/log/messages', '/var/log/kern.log'],
    }),
    globRefreshMs: Type.Integer({ minimum: 100, default: 5000, description: 'How often globs are expanded again to find new files' }),
    commands: Type.Array(CommandConfig, { default: [], description: "Commands whose output is collected on an interval (Wazuh's command / full_command)" }),
    journal: JournalConfig,
    audit: AuditLogConfig,
    k8sAuditWebhook: K8sAuditWebhookConfig,
    pollIntervalMs: Type.Integer({ minimum: 10, default: 250, description: 'How often files are checked for new data' }),
    maxLineBytes: Type.Integer({ minimum: 256, default: 65536, description: 'Longer lines are cut and flagged, never dropped' }),
    batchLines: Type.Integer({ minimum: 1, default: 2000, description: 'Lines read and spooled together' }),
    maxEventsPerSecond: Type.Integer({
      minimum: 0,
      default: 0,
      description: "Per-agent event rate limit (Wazuh's client_buffer events_per_second); excess events wait in the spool, none is dropped. 0: no limit",
    }),
    spool: SpoolConfig,
    registry: RegistryConfig,
    fim: FimConfig,
    sca: ScaConfig,
    inventory: InventoryConfig,
    activeResponse: ActiveResponseConfig,
  },
  { additionalProperties: false, default: {} },
);
export type CollectorConfig = Static<typeof CollectorConfig>;

export const AgentConfig = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$', description: 'Default: from /etc/machine-id; env VIGIL_AGENT_ID' })),
    name: Type.Optional(Type.String({ minLength: 1, description: 'Default: the node name (NODE_NAME) or hostname; env VIGIL_AGENT_NAME' })),
    ip: Type.Optional(Type.String()),
  },
  { additionalProperties: false, default: {} },
);
export type AgentConfig = Static<typeof AgentConfig>;
