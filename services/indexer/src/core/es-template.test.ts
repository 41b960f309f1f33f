import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertIndexTemplate, DEFAULT_QUERY_FIELDS, TEMPLATE_VERSION } from './es-template.ts';

type Props = Record<string, { type?: string; format?: string; properties?: Props }>;

function typeAt(properties: Props, dotted: string): string | undefined {
  const parts = dotted.split('.');
  let node: Props | undefined = properties;
  for (const part of parts.slice(0, -1)) node = node?.[part]?.properties;
  return node?.[parts[parts.length - 1] as string]?.type;
}

test('the template covers the daily indices of the prefix, with the configured shards and replicas', () => {
  const { name, body } = alertIndexTemplate({ prefix: 'prod-hids', shards: 3, replicas: 1 });
  assert.equal(name, 'prod-hids');
  assert.deepEqual(body['index_patterns'], ['prod-hids-*']);
  assert.equal(body['version'], TEMPLATE_VERSION);
  const settings = (body['template'] as { settings: Record<string, unknown> }).settings;
  assert.equal(settings['index.number_of_shards'], 3);
  assert.equal(settings['index.number_of_replicas'], 1);
  assert.equal(settings['index.mapping.total_fields.limit'], 10000);
  assert.deepEqual(settings['index.query.default_field'], DEFAULT_QUERY_FIELDS);
});

test("the mapping gives Wazuh's alert fields Wazuh's types", () => {
  const mappings = (alertIndexTemplate({ prefix: 'p', shards: 1, replicas: 0 }).body['template'] as { mappings: { properties: Props; dynamic_templates: unknown; date_detection: boolean } }).mappings;
  assert.deepEqual(mappings.dynamic_templates, [{ string_as_keyword: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }]);
  assert.equal(mappings.date_detection, false);
  const p = mappings.properties;
  assert.deepEqual(p['timestamp'], { type: 'date', format: 'date_optional_time||epoch_millis' });
  const expected: Record<string, string> = {
    '@timestamp': 'date',
    'agent.id': 'keyword',
    'agent.name': 'keyword',
    'agent.ip': 'keyword',
    'manager.name': 'keyword',
    id: 'keyword',
    full_log: 'text',
    previous_output: 'keyword',
    location: 'keyword',
    'rule.id': 'keyword',
    'rule.level': 'long',
    'rule.description': 'keyword',
    'rule.groups': 'keyword',
    'rule.firedtimes': 'long',
    'rule.mail': 'boolean',
    'rule.pci_dss': 'keyword',
    'rule.gdpr': 'keyword',
    'rule.hipaa': 'keyword',
    'rule.nist_800_53': 'keyword',
    'rule.tsc': 'keyword',
    'rule.mitre.technique': 'keyword',
    'predecoder.program_name': 'keyword',
    'decoder.name': 'keyword',
    'decoder.accumulate': 'long',
    'data.srcip': 'keyword',
    'data.srcport': 'keyword',
    'data.audit.execve.a0': 'keyword',
    'data.sca.passed': 'integer',
    'data.sca.score': 'long',
    'data.sca.check.result': 'keyword',
    'data.sca.check.compliance.cis': 'keyword',
    'syscheck.path': 'keyword',
    'syscheck.size_after': 'long',
    'syscheck.md5_before': 'keyword',
    'syscheck.inode_after': 'keyword',
    'syscheck.mtime_after': 'date',
    'syscheck.audit.process.ppid': 'keyword',
    'GeoLocation.location': 'geo_point',
    'input.type': 'keyword',
  };
  for (const [field, type] of Object.entries(expected)) assert.equal(typeAt(p, field), type, field);
});
