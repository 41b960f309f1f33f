import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { VigilError } from '@vigil/common';
import { rulesetTree as tree } from '../testing/ruleset-tree.ts';
import { readOssecConf } from '../core/ruleset-files/ossec-conf.ts';
import { ossecBaseDir, readOssecConfRuleset } from './ossec-conf-files.ts';

const rules = (id: string) => `<group name="g"><rule id="${id}" level="3"><match>${id}</match><description>${id}</description></rule></group>`;
const decoder = (name: string) => `<decoder name="${name}"><prematch>${name}</prematch></decoder>`;
const names = (files: ReadonlyArray<{ file: string }>) => files.map((f) => basename(f.file));

test('OSSEC <include>s load from <base>/rules/ in the order written, not by name; the base is the parent of etc/', () => {
  const base = tree({
    'rules/z_first.xml': rules('100'),
    'rules/a_second.xml': rules('101'),
    'rules/m_third.xml': rules('102'),
    'etc/decoder.xml': decoder('d'),
    'etc/ossec.conf': `<ossec_config>
  <global><email_notification>no</email_notification></global>
  <rules>
    <include>z_first.xml</include>
    <include>a_second.xml</include>
    <!-- <include>m_third.xml</include> -->
    <include>m_third.xml</include>
  </rules>
</ossec_config>`,
  });
  const conf = join(base, 'etc', 'ossec.conf');
  assert.equal(ossecBaseDir(conf), base);
  const r = readOssecConfRuleset(conf);
  assert.deepEqual(names(r.rules), ['z_first.xml', 'a_second.xml', 'm_third.xml']);
  // No decoder entry: OSSEC's etc/decoder.xml.
  assert.deepEqual(names(r.decoders), ['decoder.xml']);
  assert.equal(r.rules[0]?.text, rules('100'));
});

test('Wazuh <ruleset>: decoder_dir, rule_dir (sorted, with pattern), single files, excludes and lists, in config order', () => {
  const base = tree({
    'ruleset/decoders/0200-b.xml': decoder('b'),
    'ruleset/decoders/0100-a.xml': decoder('a'),
    'ruleset/decoders/0300-skip.xml': decoder('skip'),
    'ruleset/decoders/notes.txt': 'not xml',
    'etc/decoders/local_decoder.xml': decoder('local'),
    'ruleset/rules/0020-b_rules.xml': rules('200'),
    'ruleset/rules/0010-a_rules.xml': rules('201'),
    'ruleset/rules/0030-policy_rules.xml': rules('202'),
    'ruleset/rules/other.xml': rules('203'),
    'etc/rules/local_rules.xml': rules('204'),
    'etc/lists/audit-keys': 'a:b\n',
    'etc/lists/ioc/bad-ips': '1.2.3.4:\n',
    'etc/ossec.conf': `<ossec_config>
  <ruleset>
    <decoder_dir>ruleset/decoders</decoder_dir>
    <decoder_dir>etc/decoders</decoder_dir>
    <decoder_exclude>0300-skip.xml</decoder_exclude>
    <rule_dir pattern="_rules.xml$">ruleset/rules</rule_dir>
    <rule_include>etc/rules/local_rules.xml</rule_include>
    <rule_exclude>0030-policy_rules.xml</rule_exclude>
    <list>etc/lists/audit-keys</list>
    <list>etc/lists/ioc/bad-ips.cdb</list>
  </ruleset>
</ossec_config>`,
  });
  const r = readOssecConfRuleset(join(base, 'etc', 'ossec.conf'));
  assert.deepEqual(names(r.decoders), ['0100-a.xml', '0200-b.xml', 'local_decoder.xml']);
  assert.deepEqual(names(r.rules), ['0010-a_rules.xml', '0020-b_rules.xml', 'local_rules.xml']);
  assert.deepEqual(
    r.lists.map((l) => [l.name, l.text]),
    [['audit-keys', 'a:b\n'], ['ioc/bad-ips', '1.2.3.4:\n']],
  );
});

test('explicit <decoder> files replace the default etc/decoder.xml; absolute paths stay; baseDir overrides the base', () => {
  const base = tree({ 'etc/decoder.xml': decoder('default'), 'mine/d.xml': decoder('mine'), 'rules/r.xml': rules('300') });
  const confDir = tree({ 'ossec.conf': `<rules><decoder>mine/d.xml</decoder><include>${join(base, 'rules', 'r.xml')}</include></rules>` });
  const r = readOssecConfRuleset(join(confDir, 'ossec.conf'), { baseDir: base });
  assert.deepEqual(names(r.decoders), ['d.xml']);
  assert.deepEqual(names(r.rules), ['r.xml']);
});

test('problems name the configuration file and line: a missing file, an unknown element, no ruleset block', () => {
  const base = tree({
    'etc/ossec.conf': '<ossec_config>\n<rules>\n  <include>missing.xml</include>\n</rules>\n</ossec_config>',
    'etc/bad.conf': '<ossec_config>\n<rules>\n  <inclde>x.xml</inclde>\n</rules>\n</ossec_config>',
    'etc/none.conf': '<ossec_config><global/></ossec_config>',
  });
  const failure = (file: string) => {
    try {
      readOssecConfRuleset(join(base, 'etc', file));
    } catch (err) {
      assert.ok(err instanceof VigilError);
      assert.equal(err.code, 'RULESET_INVALID');
      return err.message;
    }
    assert.fail(`${file} loaded`);
  };
  assert.match(failure('ossec.conf'), /ossec\.conf:3: cannot read .*missing\.xml/);
  assert.match(failure('bad.conf'), /bad\.conf:3: unknown element <inclde> in <rules>/);
  assert.match(failure('none.conf'), /none\.conf:1: no <rules> or <ruleset> block/);
  assert.match(failure('absent.conf'), /absent\.conf:0: cannot read the configuration/);
});

test('the pure reader keeps document order across several blocks and reports a bad dir pattern', () => {
  const { plan, problems } = readOssecConf('<ossec_config><rules><include>a.xml</include></rules></ossec_config>\n<ossec_config><ruleset><list>etc/lists/x</list><rule_dir pattern="(">d</rule_dir></ruleset></ossec_config>');
  assert.deepEqual(plan.items.map((i) => [i.kind, i.path]), [['rule-file', 'a.xml'], ['list', 'etc/lists/x'], ['rule-dir', 'd']]);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /pattern="\("/);
});
