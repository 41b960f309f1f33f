import type { RuleInput } from './rule-input.ts';
import type { AgentState } from './correlation-state.ts';
import type { CorrelationKey } from './correlation-key.ts';

/** Where a loading problem is, and what it is. Loading collects these instead of throwing. */
export interface RuleLoadProblem {
  file: string;
  line: number;
  message: string;
}

/** One condition of a rule: a small pure matcher over the event (and, for check_diff/if_fts, the agent's state). */
export type RuleCheck = (input: RuleInput, state: AgentState) => boolean;

/**
 * A rule's pure conditions on the owner decoder's name and the pre-decoded program name (`<decoded_as>`,
 * `<program_name>`): true when they pass. Undefined for a rule that has neither.
 */
export type RuleGate = (decoderName: string | undefined, programName: string | undefined) => boolean;

/** The decoder types Wazuh knows; a rule's `<category>` is one of them. */
export const CATEGORIES = ['syslog', 'firewall', 'ids', 'web-log', 'squid', 'windows', 'ossec'] as const;

/** Static fields compared by `same_*` / `different_*`, named as the decoded event names them. */
export type ContextField =
  | 'srcip' | 'id' | 'dstip' | 'srcport' | 'dstport' | 'srcuser' | 'dstuser' | 'protocol' | 'action' | 'url' | 'data'
  | 'extra_data' | 'status' | 'system_name' | 'srcgeoip' | 'dstgeoip' | 'location';

/** The correlation part of a rule (`if_matched_*`, `frequency`, `same_*`, `different_*`). */
/** Whose correlation semantics rules follow: Wazuh's (the default) or OSSEC's (`ruleEngine.semantics`). */
export type RuleSemantics = 'wazuh' | 'ossec';

export interface Correlation {
  /** `if_matched_sid`: search the events whose final rule was this one. */
  sid?: string;
  /** `if_matched_group`: index of this rule's own group history list. */
  groupList?: number;
  /** `if_matched_regex` without sid/group: search the agent's global history with this pattern. */
  regex?: { test(subject: string): boolean };
  /** Events needed before the current one: `frequency − 1` (at least 1) as Wazuh counts, `frequency + 1` as OSSEC does. */
  needed: number;
  timeframe: number;
  same: ContextField[];
  different: ContextField[];
  sameFields: string[];
  differentFields: string[];
  global: boolean;
  /**
   * OSSEC's search (`ruleEngine.semantics: ossec`): an event already marked with this rule's level stops the search
   * before its `same_*` values are compared (the indexed walk of a `same_*` bucket stops at the newest such event of
   * the whole list, `HistoryList.newestMark`); a match marks the newest event of the list and the one that completed
   * the count (OSSEC's Search_LastSids/Groups/Events).
   */
  ossec?: boolean;
  /** The `same_*` key its search indexes history lists by, set on the first search (`null`: none, walk the list). */
  searchKey?: CorrelationKey | null;
}

export interface RuleOptions {
  noFullLog: boolean;
  noCounter: boolean;
  noLog: boolean;
  logAlert: boolean;
  alertByEmail: boolean;
  noEmailAlert: boolean;
  noAr: boolean;
}

/** A rule compiled into plain data with prebuilt matchers: what matching works on. */
export interface CompiledRule {
  id: string;
  level: number;
  /** Sort key among siblings: level, with 0 counting as 99 (Wazuh tries level-0 children first). */
  order: number;
  description: string;
  /** Whether the description has `$(field)` to substitute. */
  descriptionVars: boolean;
  /** The raw group string, compliance tokens included (what if_group matches). */
  groupString: string;
  /** Plain groups and compliance arrays, as the alert shows them. */
  groups: string[];
  compliance: Array<[string, string[]]>;
  category: string;
  noalert: boolean;
  /** `ignore="N"` seconds (0: none). */
  ignoreSeconds: number;
  frequency?: number;
  checks: RuleCheck[];
  /** `<decoded_as>`: the only owner decoder this rule can match (used to index its parent's children). */
  decodedAs?: string;
  /** `<decoded_as>` and `<program_name>` as one pure test (see RuleGate), used to index its parent's children. */
  gate: RuleGate | undefined;
  correlation?: Correlation;
  options: RuleOptions;
  mitre?: { id: string[]; tactic: string[]; technique: string[] };
  info?: unknown;
  cve?: string;
  /** Whether some rule has `if_matched_sid` naming this one (its events are kept). */
  keepsSidHistory: boolean;
  /** The group history lists this rule's events go into (`if_matched_group` of other rules). */
  groupLists: number[];
  /** Parents as written (`if_sid`, `if_group`, `if_level`), kept when the rule is overwritten. */
  parents: { ifSid: string[]; ifGroup: string; ifLevel?: number; ifMatchedSid?: string; ifMatchedGroup?: string };
  file: string;
  line: number;
  children: CompiledRule[];
  /**
   * Memo of the children worth trying for one (owner decoder, program name) pair: those whose gate passes, in the
   * children's order. Set on rules with enough gated children when the tree is complete; filled while matching.
   */
  candidates: Map<string, CompiledRule[]> | undefined;
  /** A synthetic category root (no template rule of this category was loaded): never reported. */
  synthetic?: boolean;
}

/** The compiled ruleset: plain data, built once, shared read-only by every evaluation. */
export interface CompiledRuleset {
  /** Category templates in load order (rules with id < 10, or synthetic roots). */
  roots: CompiledRule[];
  byId: Map<string, CompiledRule>;
  /** Number of if_matched_group history lists. */
  groupListCount: number;
  /** The longest timeframe of any correlation rule: how long history is kept. */
  maxTimeframe: number;
  /** Whether any rule reads the global history (`if_matched_regex` without sid/group). */
  usesGlobalHistory: boolean;
  /** The `if_matched_group` pattern of each group history list, by index (to carry the lists over a reload). */
  groupListKeys: string[];
  /**
   * Each rule's definition as read (its `<rule>` element after variables, its group, and any overwrite of it): a
   * reload keeps the correlation state of the rules whose id and definition did not change.
   */
  definitions: Map<string, string>;
  /** The semantics it was compiled with (absent: Wazuh's). OSSEC's analysisd drops an event whose rule is ignored. */
  semantics?: RuleSemantics;
}
