/**
 * Test helpers about Wazuh-format data, for the tests of every package (`@vigil/wazuh-format/testing`): where the
 * Wazuh reference ruleset and conformance vectors are, the reader of Wazuh's `.ini` test files, and temporary
 * ruleset folders.
 */
export { ossecRulesetDir, vectorsFile, wazuhRulesetDir } from './reference-data.ts';
export { ossecInstall } from './ossec-install.ts';
export { parseWazuhIni, type IniSections } from './wazuh-ini.ts';
export { rulesetTree } from './ruleset-tree.ts';
export { SSHD_DECODERS } from './fixtures.ts';
