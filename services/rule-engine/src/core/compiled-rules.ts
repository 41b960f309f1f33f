import type { RuleCheck } from './rule-types.ts';

/**
 * `<compiled_rule>`: Wazuh's few built-in C predicates, by name. Each is a small pure check, rewritten from its
 * documented behaviour.
 */
const CRAWLER_PREFIXES = ['66.249.', '72.14.', '209.85.', '65.55.', '207.46.', '74.6.', '72.30.', '67.195.'];

const COMPILED: Record<string, RuleCheck> = {
  /** A request without a query string (or `/`). */
  is_simple_http_request: (i) => {
    const url = i.fields['url'];
    return url !== undefined && (url === '/' || !url.includes('?'));
  },
  /** The log starts with an address of a well-known search engine crawler. */
  is_valid_crawler: (i) => CRAWLER_PREFIXES.some((p) => i.log.startsWith(p)),
  /** srcuser and dstuser are equal (or one is missing). */
  comp_srcuser_dstuser: (i) => {
    const s = i.fields['srcuser'];
    const d = i.fields['dstuser'];
    return s === undefined || d === undefined || s === d;
  },
  /** The event id has at least 10 characters. */
  check_id_size: (i) => (i.fields['id']?.length ?? 0) >= 10,
};

export function compiledRuleCheck(name: string): RuleCheck | undefined {
  return COMPILED[name];
}
