import type { DecodedFields } from '../decoded-fields.ts';

/** Owner decoder names of FIM events, by entry type and event (Wazuh's built-in syscheck decoding). */
const NAMES: Record<string, Record<string, string>> = {
  file: { added: 'syscheck_new_entry', modified: 'syscheck_integrity_changed', deleted: 'syscheck_deleted' },
  registry_key: { added: 'syscheck_registry_key_added', modified: 'syscheck_registry_key_modified', deleted: 'syscheck_registry_key_deleted' },
  registry_value: { added: 'syscheck_registry_value_added', modified: 'syscheck_registry_value_modified', deleted: 'syscheck_registry_value_deleted' },
};

/** Field name ← attribute name in the agent's JSON (`data.attributes` / `data.old_attributes`). */
const AGENT_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['size', 'size'], ['perm', 'perm'], ['uid', 'uid'], ['gid', 'gid'], ['md5', 'hash_md5'], ['sha1', 'hash_sha1'],
  ['sha256', 'hash_sha256'], ['uname', 'user_name'], ['gname', 'group_name'], ['mtime', 'mtime'], ['inode', 'inode'],
];
/** Attributes of the alert-shaped `syscheck` object (`<name>_after` / `<name>_before`). */
const ALERT_ATTRIBUTES = ['size', 'perm', 'uid', 'gid', 'md5', 'sha1', 'sha256', 'uname', 'gname', 'mtime', 'inode'] as const;
/** Who-data field ← path in the alert-shaped `audit` object. */
const ALERT_AUDIT: ReadonlyArray<readonly [string, string, string]> = [
  ['user_id', 'user', 'id'], ['user_name', 'user', 'name'], ['group_id', 'group', 'id'], ['group_name', 'group', 'name'],
  ['process_id', 'process', 'id'], ['process_name', 'process', 'name'], ['cwd', 'process', 'cwd'], ['ppid', 'process', 'ppid'],
  ['parent_name', 'process', 'parent_name'], ['parent_cwd', 'process', 'parent_cwd'], ['audit_uid', 'login_user', 'id'],
  ['audit_name', 'login_user', 'name'], ['effective_uid', 'effective_user', 'id'], ['effective_name', 'effective_user', 'name'],
];

export interface SyscheckDecoding {
  name: string;
  fields: DecodedFields;
  /** The event's text (`File '/etc/passwd' modified ...`) when the payload carries it. */
  fullLog?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function put(fields: DecodedFields, name: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  fields[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/**
 * Wazuh's built-in decoding of FIM events (there is no XML decoder for them): the owner decoder `syscheck_*` of
 * type `ossec` from the event and entry type, and the fields rules read (`file`, `size`/`size_before`, `perm`,
 * `md5`..., `changed_fields`, `mode`, `event_type`, `tag`, `changed_content`, who-data `user_name`,
 * `process_name`...). Reads both the agent's JSON (`{type: "event", data: {...}}`) and the alert-shaped payload
 * of Vigil's collector (`{syscheck: {...}, full_log}`). Returns undefined for what is not a FIM event (scan
 * messages).
 */
export function decodeSyscheck(payload: Obj): SyscheckDecoding | undefined {
  const fields: DecodedFields = {};
  if (payload['syscheck'] !== undefined) {
    const s = obj(payload['syscheck']);
    const event = String(s['event'] ?? 'modified');
    put(fields, 'file', s['path']);
    for (const a of ALERT_ATTRIBUTES) {
      put(fields, a, s[`${a}_after`]);
      put(fields, `${a}_before`, s[`${a}_before`]);
    }
    put(fields, 'changed_fields', s['changed_attributes']);
    put(fields, 'tag', s['tags']);
    put(fields, 'changed_content', s['diff']);
    put(fields, 'mode', s['mode']);
    put(fields, 'event_type', event);
    put(fields, 'symbolic_path', s['symbolic_path']);
    const audit = obj(s['audit']);
    for (const [field, group, key] of ALERT_AUDIT) put(fields, field, obj(audit[group])[key]);
    const name = NAMES['file']?.[event] ?? 'syscheck_integrity_changed';
    const fullLog = typeof payload['full_log'] === 'string' ? payload['full_log'] : undefined;
    return fullLog !== undefined ? { name, fields, fullLog } : { name, fields };
  }
  if (payload['type'] !== 'event') return undefined;
  const d = obj(payload['data']);
  const attrs = obj(d['attributes']);
  const old = obj(d['old_attributes']);
  const event = String(d['type'] ?? 'modified');
  const entry = String(attrs['type'] ?? 'file');
  put(fields, 'file', d['path']);
  for (const [field, attr] of AGENT_ATTRIBUTES) {
    put(fields, field, attrs[attr]);
    put(fields, `${field}_before`, old[attr]);
  }
  put(fields, 'changed_fields', d['changed_attributes']);
  put(fields, 'tag', d['tags']);
  put(fields, 'changed_content', d['content_changes']);
  put(fields, 'mode', d['mode']);
  put(fields, 'event_type', event);
  put(fields, 'entry_type', entry);
  put(fields, 'symbolic_path', attrs['symlink_path']);
  put(fields, 'arch', d['arch']);
  put(fields, 'value_name', d['value_name']);
  put(fields, 'value_type', attrs['value_type']);
  for (const [k, v] of Object.entries(obj(d['audit']))) put(fields, k, v);
  const byEntry = NAMES[entry] ?? NAMES['file'];
  return { name: byEntry?.[event] ?? 'syscheck_integrity_changed', fields };
}
