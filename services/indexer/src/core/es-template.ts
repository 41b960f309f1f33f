import { alertIndexPattern } from './es-index-name.ts';

/**
 * The index template of Vigil's alert indices. Its field mapping follows Wazuh's alerts template (Wazuh 4.x,
 * `wazuh-template.json`): the same types for the same fields, so Wazuh dashboards, visualisations and saved searches
 * read Vigil's indices; strings that are not mapped become keywords (dynamic template) and dates are not guessed.
 * Written here field by field; bump TEMPLATE_VERSION when it changes.
 */
export const TEMPLATE_VERSION = 1;

type Field = Record<string, unknown>;
const keyword: Field = { type: 'keyword' };
const text: Field = { type: 'text' };
const long: Field = { type: 'long' };
const integer: Field = { type: 'integer' };
const double: Field = { type: 'double' };
const object = (properties: Record<string, Field>): Field => ({ properties });
const keywords = (...names: string[]): Record<string, Field> => Object.fromEntries(names.map((n) => [n, keyword]));
const idName = object(keywords('id', 'name'));

const syscheck = object({
  ...keywords('path', 'hard_links', 'mode', 'diff', 'event', 'tags', 'changed_attributes', 'arch', 'value_name', 'value_type', 'symbolic_path'),
  ...Object.fromEntries(
    ['sha1', 'sha256', 'md5', 'uid', 'gid', 'perm', 'uname', 'gname', 'inode'].flatMap((a) => [
      [`${a}_before`, keyword],
      [`${a}_after`, keyword],
    ]),
  ),
  size_before: long,
  size_after: long,
  mtime_before: { type: 'date', format: 'date_optional_time' },
  mtime_after: { type: 'date', format: 'date_optional_time' },
  audit: object({
    effective_user: idName,
    group: idName,
    login_user: idName,
    user: idName,
    process: object(keywords('id', 'name', 'ppid', 'cwd', 'parent_name', 'parent_cwd')),
  }),
});

const rule = object({
  ...keywords('description', 'groups', 'id', 'cve', 'info', 'cis', 'pci_dss', 'gdpr', 'gpg13', 'hipaa', 'nist_800_53', 'tsc'),
  level: long,
  frequency: long,
  firedtimes: long,
  mail: { type: 'boolean' },
  mitre: object(keywords('id', 'tactic', 'technique')),
});

const dataAudit = object({
  ...keywords(
    'acct', 'arch', 'auid', 'command', 'cwd', 'dev', 'egid', 'enforcing', 'euid', 'exe', 'exit', 'fsgid', 'fsuid', 'gid', 'id', 'key',
    'list', 'old-auid', 'old-ses', 'old_enforcing', 'old_prom', 'op', 'pid', 'ppid', 'prom', 'res', 'session', 'sgid', 'srcip',
    'subj', 'success', 'suid', 'syscall', 'tty', 'type', 'uid',
  ),
  directory: object(keywords('inode', 'mode', 'name')),
  file: object(keywords('inode', 'mode', 'name')),
  execve: object(keywords('a0', 'a1', 'a2', 'a3')),
});

const dataSca = object({
  ...keywords('type', 'scan_id', 'policy', 'name', 'file', 'description', 'invalid', 'policy_id', 'total_checks'),
  passed: integer,
  failed: integer,
  score: long,
  check: object({
    ...keywords('id', 'title', 'description', 'rationale', 'remediation', 'references', 'file', 'directory', 'registry', 'process', 'result', 'previous_result', 'reason', 'status'),
    compliance: object(keywords('cis', 'cis_csc', 'pci_dss', 'hipaa', 'nist_800_53')),
  }),
});

const data = object({
  ...keywords('protocol', 'action', 'srcip', 'dstip', 'srcport', 'dstport', 'srcuser', 'dstuser', 'id', 'status', 'data', 'extra_data', 'system_name', 'url', 'type', 'command', 'integration', 'title', 'uid'),
  timestamp: { type: 'date' },
  audit: dataAudit,
  sca: dataSca,
});

const geoLocation = object({
  area_code: long,
  ...keywords('city_name', 'country_name', 'ip', 'postal_code', 'real_region_name', 'region_name'),
  continent_code: text,
  country_code2: text,
  country_code3: text,
  timezone: text,
  coordinates: double,
  dma_code: long,
  latitude: double,
  longitude: double,
  location: { type: 'geo_point' },
});

/** The mappings object: Wazuh's alert fields with Wazuh's types. */
export function alertMappings(): Record<string, unknown> {
  return {
    dynamic_templates: [{ string_as_keyword: { match_mapping_type: 'string', mapping: keyword } }],
    date_detection: false,
    properties: {
      '@timestamp': { type: 'date' },
      timestamp: { type: 'date', format: 'date_optional_time||epoch_millis' },
      '@version': text,
      agent: object(keywords('id', 'name', 'ip')),
      manager: object(keywords('name')),
      cluster: object(keywords('name', 'node')),
      id: keyword,
      full_log: text,
      previous_log: text,
      previous_output: keyword,
      location: keyword,
      message: text,
      offset: keyword,
      host: keyword,
      program_name: keyword,
      command: keyword,
      title: keyword,
      type: text,
      input: object(keywords('type')),
      GeoLocation: geoLocation,
      rule,
      predecoder: object(keywords('program_name', 'timestamp', 'hostname')),
      decoder: object({ ...keywords('parent', 'name', 'ftscomment'), fts: long, accumulate: long }),
      syscheck,
      data,
    },
  };
}

/** Fields searched by a query that names no field (Kibana's search bar): the text and keyword fields people look in. */
export const DEFAULT_QUERY_FIELDS = [
  'agent.id', 'agent.ip', 'agent.name', 'manager.name', 'cluster.name', 'cluster.node', 'id', 'full_log', 'location',
  'previous_log', 'previous_output', 'predecoder.hostname', 'predecoder.program_name', 'decoder.name', 'decoder.parent',
  'rule.id', 'rule.description', 'rule.groups', 'rule.pci_dss', 'rule.gdpr', 'rule.hipaa', 'rule.nist_800_53', 'rule.tsc',
  'rule.gpg13', 'rule.cis', 'rule.mitre.id', 'rule.mitre.tactic', 'rule.mitre.technique', 'data.srcip', 'data.dstip',
  'data.srcuser', 'data.dstuser', 'data.url', 'data.status', 'data.action', 'data.protocol', 'data.sca.check.title',
  'data.sca.check.result', 'data.sca.policy', 'syscheck.path', 'syscheck.event', 'syscheck.md5_after', 'syscheck.sha256_after',
];

/** The composable index template (`PUT _index_template/<prefix>`) for the daily alert indices of a prefix. */
export function alertIndexTemplate(options: { prefix: string; shards: number; replicas: number }): {
  name: string;
  body: Record<string, unknown>;
} {
  return {
    name: options.prefix,
    body: {
      index_patterns: [alertIndexPattern(options.prefix)],
      priority: 100,
      version: TEMPLATE_VERSION,
      _meta: { managed_by: 'vigil', follows: 'Wazuh 4.x alerts template' },
      template: {
        settings: {
          'index.refresh_interval': '5s',
          'index.number_of_shards': options.shards,
          'index.number_of_replicas': options.replicas,
          'index.mapping.total_fields.limit': 10000,
          'index.query.default_field': DEFAULT_QUERY_FIELDS,
        },
        mappings: alertMappings(),
      },
    },
  };
}
