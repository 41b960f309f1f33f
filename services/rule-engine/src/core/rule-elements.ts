import type { PatternDialect } from '@vigil/wazuh-format';
import { getters, type Getter } from './rule-checks.ts';
import type { ListLookup } from './rule-checks.ts';
import type { ContextField, RuleOptions } from './rule-types.ts';

/**
 * The vocabulary of a Wazuh `<rule>`: its attributes and elements, which field each pattern element reads and with
 * which dialect, the order in which Wazuh runs the checks, and the names of the correlation options.
 */
export const RULE_ATTRIBUTES = new Set(['id', 'level', 'frequency', 'timeframe', 'ignore', 'maxsize', 'noalert', 'overwrite', 'accuracy']);

/** Static fields a `<field name>` may not name. */
export const STATIC_NAMES = new Set(['srcip', 'dstip', 'srcgeoip', 'dstgeoip', 'srcport', 'dstport', 'user', 'srcuser', 'dstuser', 'url', 'id', 'data', 'extra_data', 'status', 'protocol', 'system_name', 'action']);

/** Pattern elements whose repeats are concatenated; each with the field it reads and its default dialect. */
export const PATTERN_ELEMENTS: Record<string, { get: Getter; dialect: PatternDialect | 'string'; stage: number }> = {
  program_name: { get: getters.programName, dialect: 'osmatch', stage: 2 },
  id: { get: getters.field('id'), dialect: 'osmatch', stage: 2 },
  system_name: { get: getters.field('system_name'), dialect: 'osmatch', stage: 2 },
  protocol: { get: getters.field('protocol'), dialect: 'osmatch', stage: 2 },
  match: { get: getters.log, dialect: 'osmatch', stage: 3 },
  regex: { get: getters.log, dialect: 'osregex', stage: 3 },
  action: { get: getters.field('action'), dialect: 'string', stage: 4 },
  url: { get: getters.field('url'), dialect: 'osmatch', stage: 4 },
  location: { get: getters.location, dialect: 'osmatch', stage: 4 },
  srcport: { get: getters.field('srcport'), dialect: 'osmatch', stage: 6 },
  dstport: { get: getters.field('dstport'), dialect: 'osmatch', stage: 6 },
  user: { get: getters.user, dialect: 'osmatch', stage: 7 },
  srcgeoip: { get: getters.geo('srcgeoip', 'srcip'), dialect: 'osmatch', stage: 7 },
  dstgeoip: { get: getters.geo('dstgeoip', 'dstip'), dialect: 'osmatch', stage: 7 },
  data: { get: getters.field('data'), dialect: 'osmatch', stage: 7 },
  extra_data: { get: getters.field('extra_data'), dialect: 'osmatch', stage: 7 },
  hostname: { get: getters.hostname, dialect: 'osmatch', stage: 7 },
  status: { get: getters.field('status'), dialect: 'osmatch', stage: 7 },
};
/** Order of the stage-7 checks within their stage. */
export const STAGE7 = ['compiled_rule', 'user', 'srcgeoip', 'dstgeoip', 'maxsize', 'time', 'weekday', 'data', 'extra_data', 'hostname', 'status', 'check_diff'];
export const STAGE_ORDER: Record<string, number> = { decoded_as: 1, program_name: 2, id: 2.1, system_name: 2.2, protocol: 2.3, match: 3, regex: 3.1, action: 4, url: 4.1, location: 4.2, field: 5, srcip: 6, dstip: 6.1, srcport: 6.2, dstport: 6.3, if_fts: 8, list: 9 };
STAGE7.forEach((name, i) => (STAGE_ORDER[name] = 7 + i / 100));

export const SAME: Record<string, ContextField> = {
  same_source_ip: 'srcip', same_srcip: 'srcip', same_id: 'id', same_dstip: 'dstip', same_srcport: 'srcport', same_src_port: 'srcport',
  same_dstport: 'dstport', same_dst_port: 'dstport', same_srcuser: 'srcuser', same_user: 'dstuser', same_protocol: 'protocol',
  same_action: 'action', same_url: 'url', same_data: 'data', same_extra_data: 'extra_data', same_status: 'status',
  same_system_name: 'system_name', same_srcgeoip: 'srcgeoip', same_dstgeoip: 'dstgeoip', same_location: 'location',
};
export const DIFFERENT: Record<string, ContextField> = {
  different_srcip: 'srcip', not_same_source_ip: 'srcip', different_id: 'id', not_same_id: 'id', different_dstip: 'dstip',
  different_srcport: 'srcport', different_src_port: 'srcport', different_dstport: 'dstport', different_dst_port: 'dstport',
  different_srcuser: 'srcuser', different_user: 'dstuser', not_same_user: 'dstuser', different_protocol: 'protocol',
  different_action: 'action', different_url: 'url', different_data: 'data', different_extra_data: 'extra_data',
  different_status: 'status', different_system_name: 'system_name', different_srcgeoip: 'srcgeoip', different_dstgeoip: 'dstgeoip',
  different_location: 'location',
};
export const CONCATENATED = new Set([...Object.keys(PATTERN_ELEMENTS), 'if_sid', 'if_group', 'if_matched_group', 'if_matched_regex', 'description', 'group', 'info', 'cve']);
export const OTHER_ELEMENTS = new Set(['decoded_as', 'category', 'field', 'srcip', 'dstip', 'time', 'weekday', 'list', 'if_level', 'if_matched_sid', 'options',
  'mitre', 'check_diff', 'if_fts', 'ignore', 'check_if_ignored', 'same_field', 'different_field', 'not_same_field', 'global_frequency',
  'same_agent', 'not_same_agent', 'compiled_rule']);

export const OPTION_NAMES: Record<string, keyof RuleOptions> = {
  alert_by_email: 'alertByEmail', no_email_alert: 'noEmailAlert', log_alert: 'logAlert', no_log: 'noLog', no_ar: 'noAr',
  no_full_log: 'noFullLog', no_counter: 'noCounter',
};

export const LIST_FIELDS: Record<string, Getter> = {
  srcip: getters.field('srcip'), srcport: getters.field('srcport'), dstip: getters.field('dstip'), dstport: getters.field('dstport'),
  user: getters.listUser, url: getters.field('url'), id: getters.field('id'), hostname: getters.hostname, program_name: getters.programName,
  status: getters.field('status'), action: getters.field('action'), system_name: getters.field('system_name'),
  protocol: getters.field('protocol'), data: getters.field('data'), extra_data: getters.field('extra_data'),
};
export const LOOKUPS = new Set<ListLookup>(['match_key', 'not_match_key', 'match_key_value', 'address_match_key', 'not_address_match_key', 'address_match_key_value']);

