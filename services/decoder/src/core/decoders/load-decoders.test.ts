import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDecoders } from './load-decoders.ts';
import { formatProblem } from './decoder-types.ts';

const load = (text: string) => loadDecoders([{ file: 'local_decoder.xml', text }]);

test('a malformed decoder file fails with file:line: what is wrong', () => {
  const r = load('<decoder name="a">\n  <prematch>^a</prematch>\n</decodr>\n');
  assert.equal(r.errors.length, 1);
  assert.match(formatProblem(r.errors[0]!), /^local_decoder\.xml:3: not readable as XML: .*decodr/);
});

test('every problem is reported with its line, and loading goes on', () => {
  const text = [
    '<decoder name="ok">', //                                     1
    '  <prematch>^ok</prematch>', //                              2
    '</decoder>', //                                              3
    '<decoder name="bad-regex">', //                              4
    '  <prematch>^x</prematch>', //                               5
    '  <regex>(a|b)</regex>', //                                  6
    '  <order>srcip</order>', //                                  7
    '</decoder>', //                                              8
    '<decoder name="orphan">', //                                 9
    '  <parent>nowhere</parent>', //                             10
    '</decoder>', //                                             11
    '<decoder name="nothing"><type>weird</type></decoder>', //  12
  ].join('\n');
  const r = load(text);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.code]),
    [
      [6, 'PATTERN_INVALID'],
      [10, 'PARENT_NOT_FOUND'],
      [12, 'DECODER_INVALID'],
      [12, 'DECODER_INVALID'],
    ],
  );
  assert.equal(r.set.withoutProgramName[0]?.name, 'ok', 'the decoders before and after an error are still read');
});

test('unknown elements and attributes are warnings, not errors', () => {
  const r = load('<decoder name="a" color="red">\n  <prematch>^a</prematch>\n  <sparkle>yes</sparkle>\n</decoder>');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings.map((w) => [w.line, w.code]), [[1, 'ATTRIBUTE_UNKNOWN'], [3, 'ELEMENT_UNKNOWN']]);
});

test('Wazuh XML quirks: no root, bare &, \\< as text, no entity decoding, comments', () => {
  const r = load('<!-- c -->\n<decoder name="a">\n  <prematch>^a&b \\<x> &lt;</prematch>\n</decoder>\n');
  assert.deepEqual(r.errors, []);
  assert.equal(r.set.withoutProgramName[0]?.prematch?.pattern, '^a&b \\<x> &lt;');
});

test('validation as in Wazuh: regex needs order, order needs regex, a decoder needs prematch, parent or program_name', () => {
  const r = load(
    '<decoder name="a"><prematch>x</prematch><regex>(\\S+)</regex></decoder>\n' +
      '<decoder name="b"><prematch>x</prematch><order>srcip</order></decoder>\n' +
      '<decoder name="c"><type>syslog</type></decoder>\n' +
      '<decoder name="d"><prematch offset="after_regex">x</prematch></decoder>\n',
  );
  assert.deepEqual(r.errors.map((e) => e.line), [1, 2, 3, 4]);
});

test('tree building: program_name list, children under every top-level decoder of the name, sibling groups, names', () => {
  const r = load(`
<decoder name="p"><program_name>^p$</program_name></decoder>
<decoder name="p"><prematch>^p: </prematch></decoder>
<decoder name="c1"><parent>p</parent><regex>a=(\\S+)</regex><order>srcip</order></decoder>
<decoder name="c1"><parent>p</parent><regex offset="after_regex">b=(\\S+)</regex><order>dstip</order></decoder>
<decoder name="own"><parent>p</parent><use_own_name>true</use_own_name><prematch>x</prematch></decoder>
<var name="START">^q</var>
<decoder name="q"><prematch>$START</prematch></decoder>
`);
  assert.deepEqual(r.errors, []);
  const [withProgram, withoutProgram] = [r.set.withProgramName, r.set.withoutProgramName];
  assert.equal(withProgram.length, 1);
  assert.equal(withoutProgram.length, 2);
  for (const top of [withProgram[0]!, withoutProgram[0]!]) {
    assert.deepEqual(top.children.map((c) => [c.name, c.getNext]), [['p', true], ['p', false], ['own', false]]);
  }
  assert.equal(withoutProgram[1]?.prematch?.pattern, '^q', 'variables are substituted');
});

test('repeated pattern elements are concatenated; the type comes from the last one that gives it', () => {
  const r = load('<decoder name="t"><program_name>^(?i)te</program_name><program_name type="pcre2">st$</program_name></decoder>');
  assert.deepEqual(r.errors, []);
  const d = r.set.withProgramName[0]!;
  assert.equal(d.programName?.dialect, 'pcre2');
  assert.equal(d.programName?.test('TEST'), true);
});
