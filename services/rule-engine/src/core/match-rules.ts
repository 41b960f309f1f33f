import type { DecodedEvent } from '@vigil/common';
import type { CompiledRule, RuleTree } from './rule-types.ts';

function matchesOne(rule: CompiledRule, event: DecodedEvent): boolean {
  if (rule.decodedAs !== undefined && event.decoder?.name !== rule.decodedAs && event.decoder?.parent !== rule.decodedAs) return false;
  if (rule.programName && !rule.programName(event.predecoder.program_name ?? '')) return false;
  if (rule.match && !rule.match(event.log)) return false;
  if (rule.regex && !rule.regex.test(event.log)) return false;
  return true;
}

function descend(rule: CompiledRule, event: DecodedEvent): CompiledRule {
  for (const child of rule.children) {
    if (matchesOne(child, event)) return descend(child, event);
  }
  return rule;
}

/**
 * Walks the rule tree for one event: the first matching root, then its first matching child, and so on; the
 * deepest match wins. Returns undefined when no rule matches.
 */
export function matchRules(tree: RuleTree, event: DecodedEvent): CompiledRule | undefined {
  for (const root of tree.roots) {
    if (matchesOne(root, event)) return descend(root, event);
  }
  return undefined;
}
