import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '@vigil/common';
import { rulesetTree as tree } from '../testing/ruleset-tree.ts';
import { classifyRulesetXml } from '../core/ruleset-files/ruleset-file-kind.ts';
import { decoderSources, listSources, readRulesetFiles, ruleFiles, rulesetXmlFiles } from './ruleset-files.ts';
import { BUILTIN_RULESET, resolveRulesetPath } from './ruleset-path.ts';

const RULES = '<group name="g"><rule id="100001" level="3"><match>x</match></rule></group>';
const DECODER = '<decoder name="d"><prematch>d</prematch></decoder>';

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

test('a ruleset folder gives its decoders/ and rules/ XML, each recognised; a folder of XML gives its own', () => {
  const set = tree({ 'decoders/b.xml': DECODER, 'rules/a.xml': RULES, 'top.xml': RULES });
  assert.deepEqual(
    rulesetXmlFiles(set).map((f) => [f.file.slice(set.length + 1), f.kind]),
    [['decoders/b.xml', 'decoders'], ['rules/a.xml', 'rules']],
  );
  const flat = tree({ 'x.xml': DECODER, 'notes.txt': 'hello', 'y.xml': '<other/>' });
  assert.deepEqual(rulesetXmlFiles(flat).map((f) => [f.file.slice(flat.length + 1), f.kind]), [['x.xml', 'decoders'], ['y.xml', 'unknown']]);
  assert.deepEqual(rulesetXmlFiles(join(flat, 'x.xml')).map((f) => f.kind), ['decoders']);
});

test('rule files come from rules/ sorted by name, else the rule files of the folder, in the order of the paths given', () => {
  const set = tree({ 'rules/0200-b.xml': RULES, 'rules/0100-a.xml': RULES, 'decoders/0050-d.xml': DECODER });
  const flat = tree({ '0300-c.xml': RULES, '0010-d.xml': DECODER });
  assert.deepEqual(ruleFiles(set).map((f) => f.slice(set.length + 1)), ['rules/0100-a.xml', 'rules/0200-b.xml']);
  assert.deepEqual(ruleFiles(flat).map((f) => f.slice(flat.length + 1)), ['0300-c.xml']);
  const { sources } = readRulesetFiles([flat, set]);
  assert.deepEqual(sources.map((s) => s.file.split('/').pop()), ['0300-c.xml', '0100-a.xml', '0200-b.xml']);
  assert.equal(sources[0]?.text, RULES);
});

test('CDB lists are every source file under lists/, named by their path below it; compiled lists and notes are left out', () => {
  const set = tree({ 'rules/r.xml': RULES, 'lists/b-list': 'k:v\n', 'lists/ioc/a-list': 'x:\n', 'lists/b-list.cdb': 'bin', 'lists/README.md': 'notes' });
  assert.deepEqual(
    listSources(set).map((l) => [l.name, l.text]),
    [['b-list', 'k:v\n'], [join('ioc', 'a-list'), 'x:\n']],
  );
  assert.deepEqual(readRulesetFiles([set]).lists.map((l) => l.name), ['b-list', join('ioc', 'a-list')]);
  assert.deepEqual(listSources(tree({ 'r.xml': RULES })), []);
});

test('a path that cannot be read is RULESET_INVALID naming it', () => {
  const missing = join(tree({}), 'nowhere');
  for (const read of [() => rulesetXmlFiles(missing), () => ruleFiles(missing), () => readRulesetFiles([missing]), () => decoderSources([missing])]) {
    assert.throws(read, (err: unknown) => err instanceof VigilError && err.code === 'RULESET_INVALID' && err.message.startsWith(`${missing}: cannot read ruleset`));
  }
  if (process.getuid?.() !== 0) {
    const locked = tree({ 'rules/r.xml': RULES });
    chmodSync(join(locked, 'rules', 'r.xml'), 0o000);
    assert.throws(() => readRulesetFiles([locked]), (err: unknown) => err instanceof VigilError && err.code === 'RULESET_INVALID');
  }
});
