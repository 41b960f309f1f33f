import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';
import { BUILTIN_RULESET, classifyRulesetXml, decoderSources, loadDecoderFiles, resolveRulesetPath } from './ruleset-files.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ruleset-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('files are recognised by their content', () => {
  assert.equal(classifyRulesetXml('<!-- x -->\n<decoder name="a"/>'), 'decoders');
  assert.equal(classifyRulesetXml('<var name="X">1</var>\n<group name="g"><rule id="1" level="0"/></group>'), 'rules');
  assert.equal(classifyRulesetXml('hello'), 'unknown');
});

test('decoder files of several paths are sorted by basename across all of them, as Wazuh sorts them', () => {
  const a = tree({ 'decoders/0200-b.xml': '<decoder name="b"><prematch>b</prematch></decoder>', 'rules/0100-r.xml': '<group name="g"></group>' });
  const b = tree({ '0100-a.xml': '<decoder name="a"><prematch>a</prematch></decoder>', 'local_decoder.xml': '<decoder name="l"><prematch>l</prematch></decoder>' });
  assert.deepEqual(decoderSources([a, b]).map((s) => s.file.split('/').pop()), ['0100-a.xml', '0200-b.xml', 'local_decoder.xml']);
  assert.equal(resolveRulesetPath('builtin'), BUILTIN_RULESET);
});

test('loading refuses a ruleset with errors: one `file:line: what is wrong` line per problem', () => {
  const dir = tree({ 'decoders/bad.xml': '<decoder name="x">\n  <parent>missing</parent>\n</decoder>\n<decoder name="y">\n  <prematch>\\q</prematch>\n</decoder>\n' });
  assert.throws(
    () => loadDecoderFiles([dir]),
    (err: unknown) =>
      err instanceof VigilError &&
      err.code === 'RULESET_INVALID' &&
      err.message.includes(`${join(dir, 'decoders', 'bad.xml')}:2: decoder 'x': parent 'missing' is not a top-level decoder defined before it`) &&
      err.message.includes(`${join(dir, 'decoders', 'bad.xml')}:5: decoder 'y': <prematch>: osregex pattern '\\q': unknown escape`),
  );
  assert.throws(() => loadDecoderFiles([join(dir, 'nowhere')]), /cannot read ruleset/);
});
