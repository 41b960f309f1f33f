import { isSubjectToken, type Alert, type Subjects } from '@vigil/common';
import type { RouteFilter } from '../config.ts';

/** A `*`/`?` wildcard pattern as an anchored regular expression (everything else is literal). */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** A filter with its patterns compiled once. */
export interface CompiledFilter {
  readonly filter: RouteFilter;
  readonly agentNames: RegExp[];
  readonly locations: RegExp[];
}

export function compileFilter(filter: RouteFilter): CompiledFilter {
  return {
    filter,
    agentNames: (filter.agentNames ?? []).map(globToRegExp),
    locations: (filter.locations ?? []).map(globToRegExp),
  };
}

const nonEmpty = (list: readonly string[] | undefined): list is readonly string[] => list !== undefined && list.length > 0;

/** Whether a destination with this filter receives the alert. */
export function matchesFilter(compiled: CompiledFilter, alert: Alert): boolean {
  const { filter } = compiled;
  if (alert.rule.level < filter.minLevel) return false;
  if (nonEmpty(filter.rules) && !filter.rules.includes(alert.rule.id)) return false;
  if (nonEmpty(filter.groups) && !filter.groups.some((g) => alert.rule.groups.includes(g))) return false;
  if (nonEmpty(filter.excludeGroups) && filter.excludeGroups.some((g) => alert.rule.groups.includes(g))) return false;
  if (nonEmpty(filter.agents) || compiled.agentNames.length > 0) {
    const byId = filter.agents?.includes(alert.agent.id) ?? false;
    if (!byId && !compiled.agentNames.some((re) => re.test(alert.agent.name))) return false;
  }
  if (compiled.locations.length > 0 && !compiled.locations.some((re) => re.test(alert.location))) return false;
  return true;
}

/**
 * The JetStream filter subject that selects as few alerts as the filter allows on nats-server 2.9 (one filter
 * subject per consumer): `<prefix>.alerts.<level>.<agent>.<rule>` with a token wherever the filter pins that
 * position to a single value, `*` elsewhere. `exact` says whether the subject alone selects exactly the filter's
 * alerts; otherwise the notifier applies the rest of the filter to what it receives.
 */
export function filterSubject(filter: RouteFilter, subjects: Subjects): { subject: string; exact: boolean } {
  const level = filter.minLevel >= 16 ? '16' : '*';
  const agents = filter.agents ?? [];
  const agent = agents.length === 1 && !nonEmpty(filter.agentNames) && isSubjectToken(agents[0] as string) ? (agents[0] as string) : '*';
  const rules = filter.rules ?? [];
  const rule = rules.length === 1 && isSubjectToken(rules[0] as string) ? (rules[0] as string) : '*';
  const exact =
    (filter.minLevel === 0 || level === '16') &&
    (agent !== '*' || (agents.length === 0 && !nonEmpty(filter.agentNames))) &&
    (rule !== '*' || rules.length === 0) &&
    !nonEmpty(filter.groups) &&
    !nonEmpty(filter.excludeGroups) &&
    !nonEmpty(filter.locations);
  if (level === '*' && agent === '*' && rule === '*') return { subject: subjects.alertsAll(), exact };
  return { subject: subjects.alertFilter(level, agent, rule), exact };
}
