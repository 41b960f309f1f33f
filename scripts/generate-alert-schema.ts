/**
 * Writes docs/alert.schema.json, the JSON Schema of Vigil's alerts, from the shared TypeBox schema
 * (services/common/src/schemas/alert.ts), so consumers in any language can validate what they receive.
 *
 *   node --import tsx scripts/generate-alert-schema.ts          write the file
 *   node --import tsx scripts/generate-alert-schema.ts --check  exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Alert } from '@vigil/common';

export const ALERT_SCHEMA_FILE = resolve(fileURLToPath(new URL('../docs/alert.schema.json', import.meta.url)));

/** The JSON Schema text: TypeBox's schema (its symbols dropped by JSON), marked as draft 7, two-space indented. */
export function alertSchemaText(): string {
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...(JSON.parse(JSON.stringify(Alert)) as Record<string, unknown>) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function main(argv: string[]): number {
  const text = alertSchemaText();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(ALERT_SCHEMA_FILE, 'utf8');
    } catch (err) {
      process.stderr.write(`cannot read ${ALERT_SCHEMA_FILE}: ${(err as Error).message}\n`);
      return 1;
    }
    if (current === text) return 0;
    process.stderr.write(`${ALERT_SCHEMA_FILE} is out of date: run node --import tsx scripts/generate-alert-schema.ts\n`);
    return 1;
  }
  writeFileSync(ALERT_SCHEMA_FILE, text);
  process.stdout.write(`wrote ${ALERT_SCHEMA_FILE}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
