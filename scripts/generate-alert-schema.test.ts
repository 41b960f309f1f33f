import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALERT_SCHEMA_FILE, alertSchemaText } from './generate-alert-schema.ts';

test('docs/alert.schema.json is the schema generated from the shared alert schema (regenerate it if this fails)', () => {
  assert.equal(readFileSync(ALERT_SCHEMA_FILE, 'utf8'), alertSchemaText(), 'run: node --import tsx scripts/generate-alert-schema.ts');
});

test('the published schema describes the Wazuh alert fields consumers rely on', () => {
  const schema = JSON.parse(alertSchemaText()) as { $id: string; required: string[]; properties: Record<string, { required?: string[] }> };
  assert.equal(schema.$id, 'https://vigil.dev/schemas/alert.json');
  for (const key of ['timestamp', 'rule', 'agent', 'manager', 'id', 'location']) assert.ok(schema.required.includes(key), key);
  assert.deepEqual(schema.properties['rule']?.required, ['id', 'level', 'description', 'firedtimes', 'mail', 'groups']);
});
