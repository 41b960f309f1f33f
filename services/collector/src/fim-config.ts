import { Type, type Static } from '@sinclair/typebox';

/** Which attributes are compared (Wazuh's check_size, check_perm, check_owner, ...). All on by default (check_all). */
export const FimChecks = Type.Object(
  {
    size: Type.Boolean({ default: true }),
    perm: Type.Boolean({ default: true }),
    owner: Type.Boolean({ default: true, description: 'uid and user name' }),
    group: Type.Boolean({ default: true, description: 'gid and group name' }),
    mtime: Type.Boolean({ default: true }),
    inode: Type.Boolean({ default: true }),
    md5: Type.Boolean({ default: true }),
    sha1: Type.Boolean({ default: true }),
    sha256: Type.Boolean({ default: true }),
  },
  { additionalProperties: false, default: {} },
);
export type FimChecks = Static<typeof FimChecks>;

export const FimDirectory = Type.Object(
  {
    path: Type.String({ minLength: 1 }),
    recursionLevel: Type.Integer({ minimum: 0, maximum: 320, default: 256, description: "Like Wazuh's recursion_level: 0 watches only the directory's own files" }),
    realtime: Type.Boolean({ default: false, description: 'Watch with inotify as well as scanning on schedule' }),
    whodata: Type.Boolean({ default: false, description: 'Attribute changes to process and user through the Linux audit system (falls back to realtime without it)' }),
    reportChanges: Type.Boolean({ default: false, description: 'Attach a text diff of changed small text files (report_changes)' }),
    restrict: Type.Optional(Type.String({ minLength: 1, description: 'Only files whose path matches this JavaScript regex' })),
    tags: Type.Array(Type.String(), { default: [] }),
    checks: FimChecks,
  },
  { additionalProperties: false },
);
export type FimDirectory = Static<typeof FimDirectory>;

export const FimConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    directories: Type.Array(FimDirectory, {
      default: [],
      description:
        'Directories to monitor, added to the default ones (an entry for a default path replaces that default); a directory that does not exist is reported once and watched for',
    }),
    replaceDefaults: Type.Boolean({ default: false, description: 'Monitor only `directories`, not the default ones' }),
    frequencySeconds: Type.Integer({ minimum: 1, default: 43200, description: 'Scheduled full scan interval (Wazuh default 12 h)' }),
    scanOnStart: Type.Boolean({ default: true }),
    ignore: Type.Array(Type.String(), {
      default: ['/etc/mtab', '/etc/adjtime', '/etc/random-seed', '/etc/ld.so.cache', '/etc/resolv.conf'],
      description: 'Paths never monitored (a directory ignores everything under it); the defaults change on their own',
    }),
    ignorePatterns: Type.Array(Type.String(), { default: [], description: 'JavaScript regexes over the full path (Wazuh ignore type="sregex")' }),
    maxFileBytes: Type.Integer({ minimum: 0, default: 1024 * 1024 * 1024, description: 'Larger files are not hashed (their hashes are empty); 0: no limit' }),
    diffMaxBytes: Type.Integer({ minimum: 1, default: 1024 * 1024, description: 'report_changes only diffs files up to this size' }),
    nodiff: Type.Array(Type.String(), { default: [], description: 'Paths never diffed (secrets): the diff says so instead' }),
    nodiffPatterns: Type.Array(Type.String(), { default: [] }),
    realtimeDelayMs: Type.Integer({ minimum: 0, default: 100, description: 'Changes seen by inotify are checked after this quiet time' }),
    auditLog: Type.String({ default: '/var/log/audit/audit.log', description: 'Read for who-data attribution' }),
    auditKey: Type.String({ default: 'vigil_fim', description: 'Key (-k) of the audit watch rules the collector adds' }),
  },
  { additionalProperties: false, default: {} },
);
export type FimConfig = Static<typeof FimConfig>;

const ALL_CHECKS: FimChecks = { size: true, perm: true, owner: true, group: true, mtime: true, inode: true, md5: true, sha1: true, sha256: true };

/**
 * Wazuh's default <syscheck> directories (on merged-/usr systems /bin and /sbin are /usr/bin and /usr/sbin),
 * watched as they change: who-data where the audit system can be used, realtime (inotify) otherwise.
 */
export const DEFAULT_FIM_DIRECTORIES: readonly FimDirectory[] = ['/etc', '/usr/bin', '/usr/sbin', '/boot'].map((path) => ({
  path,
  recursionLevel: 256,
  realtime: true,
  whodata: true,
  reportChanges: false,
  tags: [],
  checks: ALL_CHECKS,
}));
