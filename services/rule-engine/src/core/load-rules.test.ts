import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRuleProblem, loadRules } from './load-rules.ts';

const file = (name: string, text: string) => ({ file: `/rules/${name}`, text });

test('a rule whose parent is missing is an error naming both ids, with file and line', () => {
  const r = loadRules([file('a.xml', '<group name="g,">\n  <rule id="100" level="3">\n    <if_sid>99</if_sid>\n    <description>x</description>\n  </rule>\n</group>\n')]);
  assert.deepEqual(r.errors.map(formatRuleProblem), ['/rules/a.xml:2: rule 100: parent rule 99 (if_sid) does not exist (or is defined later)']);
  assert.equal(r.ruleset.byId.has('100'), false);
});

test('a rule with if_matched_sid naming a missing rule is an error naming both ids', () => {
  const r = loadRules([file('a.xml', '<group name="g,">\n<rule id="101" level="8" frequency="4">\n<if_matched_sid>42</if_matched_sid>\n<description>x</description>\n</rule>\n</group>')]);
  assert.match(r.errors.map(formatRuleProblem).join('\n'), /^\/rules\/a\.xml:2: rule 101: parent rule 42 \(if_sid\) does not exist/);
});

test('errors carry file and line: unreadable XML, unknown elements and attributes, bad values, bad patterns', () => {
  const r = loadRules([
    file('bad-xml.xml', '<group name="g,">\n<rule id="1" level="0">\n</group>\n'),
    file('bad-rules.xml', [
      '<group name="g,">',
      '  <rule id="200" level="3" colour="red">',
      '    <description>x</description>',
      '    <nonsense>1</nonsense>',
      '  </rule>',
      '  <rule id="201" level="17"><description>x</description></rule>',
      '  <rule id="202" level="3">',
      '    <regex type="pcre2">(?&lt;=a)(</regex>',
      '    <description>x</description>',
      '  </rule>',
      '  <rule id="203" level="3"><field name="srcip">1</field><description>x</description></rule>',
      '  <rule id="204" level="3" frequency="4"><same_source_ip /><description>x</description></rule>',
      '</group>',
    ].join('\n')),
  ]);
  const lines = r.errors.map(formatRuleProblem);
  assert.equal(lines[0]?.startsWith('/rules/bad-rules.xml:2: rule 200: unknown attribute'), true, lines.join('\n'));
  assert.ok(lines.includes('/rules/bad-rules.xml:4: rule 200: unknown element <nonsense>'));
  assert.ok(lines.includes('/rules/bad-rules.xml:6: rule 201: level must be 0-16 (level="17")'));
  assert.ok(lines.some((l) => l.startsWith('/rules/bad-rules.xml:8: rule 202: <regex>:')));
  assert.ok(lines.some((l) => l.startsWith("/rules/bad-rules.xml:11: rule 203: <field name=\"srcip\">: 'srcip' is a static field")));
  assert.ok(lines.some((l) => l.startsWith('/rules/bad-rules.xml:12: rule 204: frequency, same_*')));
  assert.ok(lines.some((l) => l.startsWith('/rules/bad-xml.xml:3: not readable as XML')), lines.join('\n'));
});

test('variables are substituted in attributes and texts; repeated elements are concatenated', () => {
  const r = loadRules([
    file('v.xml', '<var name="FREQ">6</var>\n<var name="BAD">a|b</var>\n<group name="g,">\n<rule id="300" level="3"><match>x</match><description>d</description></rule>\n<rule id="301" level="9" frequency="$FREQ" timeframe="60"><if_matched_sid>300</if_matched_sid><description>d</description><group>one,</group><group>two,</group></rule>\n</group>'),
  ]);
  assert.deepEqual(r.errors, []);
  const rule = r.ruleset.byId.get('301');
  assert.equal(rule?.frequency, 6);
  assert.equal(rule?.correlation?.needed, 5);
  assert.equal(rule?.groupString, 'g,one,two,');
  assert.deepEqual(rule?.groups, ['g', 'one', 'two']);
});

test('duplicates are warnings; overwrite keeps the node, its place and its parents', () => {
  const r = loadRules([
    file('a.xml', '<group name="g,">\n<rule id="400" level="3"><match>a</match><description>first</description></rule>\n<rule id="401" level="5"><if_sid>400</if_sid><match>b</match><description>child</description></rule>\n</group>'),
    file('b.xml', '<group name="g,">\n<rule id="400" level="3"><description>dup</description></rule>\n<rule id="401" level="7" overwrite="yes"><if_sid>999</if_sid><match>c</match><description>changed</description></rule>\n</group>'),
  ]);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings.map(formatRuleProblem), [
    '/rules/b.xml:2: duplicate rule id 400 (first defined at /rules/a.xml:2): this one is ignored',
    '/rules/b.xml:3: rule 401: overwrite cannot change if_sid, if_group, if_level, if_matched_sid or if_matched_group; the original ones are kept',
  ]);
  const parent = r.ruleset.byId.get('400');
  assert.equal(parent?.description, 'first');
  assert.equal(parent?.children[0]?.description, 'changed');
  assert.equal(parent?.children[0]?.level, 7);
});

test('lists resolve by name against every loaded ruleset; an unknown list skips the rule with a warning', () => {
  const r = loadRules(
    [file('l.xml', '<group name="g,">\n<rule id="500" level="3"><list field="srcip" lookup="address_match_key">etc/lists/bad-ips</list><description>x</description></rule>\n<rule id="501" level="3"><list field="user">etc/lists/nope</list><description>x</description></rule>\n</group>')],
    { lists: [{ name: 'bad-ips', file: '/ruleset/lists/bad-ips', text: '10.0.0.:\n' }] },
  );
  assert.deepEqual(r.errors, []);
  assert.ok(r.ruleset.byId.has('500'));
  assert.ok(!r.ruleset.byId.has('501'));
  assert.deepEqual(r.warnings.map(formatRuleProblem), ["/rules/l.xml:3: rule 501: list 'etc/lists/nope' is not in any loaded ruleset's lists/: the rule is skipped"]);
});

test('GeoIP conditions without a database are a warning, not an error', () => {
  const r = loadRules([file('geo.xml', '<group name="g,">\n<rule id="600" level="3"><srcgeoip>US</srcgeoip><description>x</description></rule>\n</group>')]);
  assert.deepEqual(r.errors, []);
  assert.match(r.warnings[0]?.message ?? '', /GeoIP/);
});

test('children are sorted by level, level 0 first, equal levels in load order', () => {
  const r = loadRules([
    file('o.xml', [
      '<group name="g,">',
      '<rule id="700" level="2"><description>root</description></rule>',
      '<rule id="701" level="3"><if_sid>700</if_sid><description>a</description></rule>',
      '<rule id="702" level="9"><if_sid>700</if_sid><description>b</description></rule>',
      '<rule id="703" level="0"><if_sid>700</if_sid><description>c</description></rule>',
      '<rule id="704" level="9"><if_sid>700</if_sid><description>d</description></rule>',
      '</group>',
    ].join('\n')),
  ]);
  assert.deepEqual(r.ruleset.byId.get('700')?.children.map((c) => c.id), ['703', '702', '704', '701']);
});
