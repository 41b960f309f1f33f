/** The reader of Wazuh's `.ini` test files is ordinary code now (`vigil ruletest` uses it); re-exported for tests. */
export { parseWazuhIni, type IniSections } from '../core/ruleset-tests/wazuh-ini.ts';
