/** The `.ini` cases reader is ordinary code in @vigil/wazuh-format (`vigil ruletest` uses it); see there for the format. */
export { casesOf, type RulesetCase } from '@vigil/wazuh-format';
