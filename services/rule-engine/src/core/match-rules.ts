import type { AgentState } from './correlation-state.ts';
import { searchHistory, type MatchScratch } from './correlation.ts';
import type { RuleInput } from './rule-input.ts';
import type { CompiledRule, CompiledRuleset } from './rule-types.ts';

/** The rule an event matched, and the parent it was reached through (used by `ignore`). */
export interface RuleMatch {
  rule: CompiledRule;
  parent: CompiledRule | undefined;
}

/** Bound on the memo of one rule (distinct decoder and program pairs seen); cleared when reached. */
const MAX_CANDIDATE_KEYS = 2048;

/** The children of `rule` whose gate passes for this event's decoder and program name, in order (memoised). */
function candidatesOf(rule: CompiledRule, memo: Map<string, CompiledRule[]>, input: RuleInput): CompiledRule[] {
  let list = memo.get(input.gateKey);
  if (list === undefined) {
    const { decoderName, programName } = input;
    list = rule.children.filter((c) => c.gate === undefined || c.gate(decoderName, programName));
    if (memo.size >= MAX_CANDIDATE_KEYS) memo.clear();
    memo.set(input.gateKey, list);
  }
  return list;
}

function evaluateNode(rule: CompiledRule, input: RuleInput, state: AgentState, scratch: MatchScratch, parent: CompiledRule | undefined): RuleMatch | undefined {
  const checks = rule.checks;
  for (let i = 0; i < checks.length; i++) if (!(checks[i] as (typeof checks)[number])(input, state)) return undefined;
  if (rule.correlation && !searchHistory(rule, rule.correlation, input, state, scratch)) return undefined;
  const children = rule.candidates === undefined ? rule.children : candidatesOf(rule, rule.candidates, input);
  for (let i = 0; i < children.length; i++) {
    const found = evaluateNode(children[i] as CompiledRule, input, state, scratch, rule);
    if (found) return found;
  }
  if (rule.noalert) return undefined;
  return { rule, parent };
}

/**
 * Walks the rule tree for one event as Wazuh does: only the category templates whose category is the owner
 * decoder's type; in each node its checks, then its correlation search, then its children in order (the first
 * child returning a rule ends the search, so the deepest match wins); a `noalert` node is only a gateway.
 */
export function matchRules(ruleset: CompiledRuleset, input: RuleInput, state: AgentState, scratch: MatchScratch): RuleMatch | undefined {
  for (const root of ruleset.roots) {
    if (root.category !== input.decoderType) continue;
    const found = evaluateNode(root, input, state, scratch, undefined);
    if (found) return found;
  }
  return undefined;
}
