import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWazuhIni, wazuhRulesetDir } from '@vigil/wazuh-format/testing';
import { loadDecoders, type DecoderLoadResult } from '../src/core/decoders/load-decoders.ts';
import { decodeLog } from '../src/core/decoders/decode-log.ts';
import { predecode } from '../src/core/predecode.ts';
import { decoderSources } from '@vigil/wazuh-format';

const dir = wazuhRulesetDir();
const skipReason = 'Wazuh ruleset not found (set WAZUH_RULESET_DIR to a copy with decoders/ and tests/)';

/** The decoder name Wazuh would report for one event, given as logtest gives it (location stdin). */
function decoderName(loaded: DecoderLoadResult, line: string): string {
  const pre = predecode(line);
  const r = decodeLog(loaded.set, { log: pre.log, programName: pre.program_name });
  return r.decoder?.name ?? '';
}

test('the 120 Wazuh decoder files load with zero errors', (t) => {
  if (!dir) return t.skip(skipReason);
  const sources = decoderSources([dir]);
  const result = loadDecoders(sources);
  t.diagnostic(`${sources.length} files, ${result.set.decoderCount} decoders, ${result.warnings.length} warnings`);
  assert.equal(sources.length, 120);
  assert.deepEqual(result.errors, []);
});

test('compatibility: expected decoder names of the Wazuh ruleset test suite (>= 99%)', (t) => {
  if (!dir) return t.skip(skipReason);
  const base = loadDecoders(decoderSources([dir]));
  const withTests = loadDecoders(decoderSources([dir, join(dir, 'tests', 'ruleset')]));
  assert.deepEqual(withTests.errors, []);
  let total = 0;
  let passed = 0;
  const failures: string[] = [];
  const files = readdirSync(join(dir, 'tests')).filter((f) => f.endsWith('.ini') && !f.endsWith('geoip.ini')).sort();
  for (const file of files) {
    const loaded = file.startsWith('test_') || file === 'overwrite.ini' ? withTests : base;
    const sections = parseWazuhIni(readFileSync(join(dir, 'tests', file), 'utf8'));
    for (const [name, keys] of sections) {
      const expected = keys.get('decoder');
      if (expected === undefined || expected === '') continue;
      for (const [key, value] of keys) {
        if (!key.startsWith('log ') || !key.endsWith('pass')) continue;
        const lines = value.split('\n');
        const last = lines[lines.length - 1] as string;
        total++;
        const got = decoderName(loaded, last);
        if (got === expected) passed++;
        else failures.push(`${file} [${name}] ${key}: got '${got}', want '${expected}': ${last.slice(0, 140)}`);
      }
    }
  }
  const pct = (100 * passed) / total;
  t.diagnostic(`decoder names: ${passed}/${total} = ${pct.toFixed(2)}% (${files.length} ini files)`);
  for (const f of failures.slice(0, 40)) t.diagnostic(`mismatch: ${f}`);
  assert.ok(total > 500, `only ${total} cases found`);
  assert.ok(pct >= 99, `${pct.toFixed(2)}% < 99%`);
});
