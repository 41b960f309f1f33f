import type { CompiledRule, Correlation, RuleCheck, RuleGate, RuleOptions } from './rule-types.ts';

/**
 * Orders a rule's checks for speed without changing its result: pure checks commute, so before the first stateful
 * one (check_diff, if_fts, which change state only when reached) the cheap ones (equality, OS_Match, lookups) go
 * first and the regex ones after; the stateful checks and all that follow keep Wazuh's order.
 */
export function cheapFirst(checks: RuleCheck[], costly: ReadonlySet<RuleCheck>, stateful: ReadonlySet<RuleCheck>): RuleCheck[] {
  let cut = checks.findIndex((c) => stateful.has(c));
  if (cut === -1) cut = checks.length;
  const head = checks.slice(0, cut);
  return [...head.filter((c) => !costly.has(c)), ...head.filter((c) => costly.has(c)), ...checks.slice(cut)];
}

/** Every compiled rule has the same shape (same keys, same order), so the hot tree walk stays monomorphic. */
export function createRule(init: {
  id: string; level: number; description: string; groupString: string; groups: string[]; compliance: Array<[string, string[]]>;
  category: string; noalert: boolean; ignoreSeconds: number; frequency: number | undefined; checks: RuleCheck[];
  decodedAs: string | undefined; gate?: RuleGate | undefined; correlation: Correlation | undefined; options: RuleOptions; mitre: CompiledRule['mitre'];
  info: unknown; cve: string | undefined; parents: CompiledRule['parents']; file: string; line: number; synthetic?: boolean;
}): CompiledRule {
  return {
    id: init.id,
    level: init.level,
    order: init.level === 0 ? 99 : init.level,
    description: init.description,
    descriptionVars: init.description.includes('$('),
    groupString: init.groupString,
    groups: init.groups,
    compliance: init.compliance,
    category: init.category,
    noalert: init.noalert,
    ignoreSeconds: init.ignoreSeconds,
    frequency: init.frequency,
    checks: init.checks,
    decodedAs: init.decodedAs,
    gate: init.gate,
    correlation: init.correlation,
    options: init.options,
    mitre: init.mitre,
    info: init.info,
    cve: init.cve,
    keepsSidHistory: false,
    groupLists: [],
    parents: init.parents,
    file: init.file,
    line: init.line,
    children: [],
    candidates: undefined,
    synthetic: init.synthetic ?? false,
  };
}

