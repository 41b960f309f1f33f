import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@vigil/common';
import { VigilConfig } from './config.ts';
import { resolveDataPaths } from './paths.ts';

test("ruleEngine.ossecConf / decoder.ossecConf resolve against the working folder; semantics is 'wazuh' or 'ossec'", () => {
  const config = loadConfig(VigilConfig, { document: { ruleEngine: { ossecConf: 'ossec/etc/ossec.conf', semantics: 'ossec' }, decoder: { ossecConf: 'ossec/etc/ossec.conf' } } });
  assert.equal(loadConfig(VigilConfig, { document: {} }).ruleEngine.semantics, 'wazuh');
  const resolved = resolveDataPaths(config, '/srv/vigil');
  assert.equal(resolved.ruleEngine.ossecConf, '/srv/vigil/ossec/etc/ossec.conf');
  assert.equal(resolved.decoder.ossecConf, '/srv/vigil/ossec/etc/ossec.conf');
  assert.equal(resolved.ruleEngine.semantics, 'ossec');
  assert.throws(() => loadConfig(VigilConfig, { document: { ruleEngine: { semantics: 'snort' } } }), /ruleEngine\.semantics/);
});
