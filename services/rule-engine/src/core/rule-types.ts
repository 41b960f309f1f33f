/** A rule compiled into plain data with prebuilt matchers: what matching works on. */
export interface CompiledRule {
  id: string;
  level: number;
  description: string;
  /** The raw group string, compliance tokens included (what if_group matches). */
  groups: string[];
  ifSids: string[];
  match?: (log: string) => boolean;
  regex?: RegExp;
  programName?: (name: string) => boolean;
  decodedAs?: string;
  options: string[];
  mitreIds: string[];
  file: string;
  line: number;
  children: CompiledRule[];
}

export interface RuleTree {
  roots: CompiledRule[];
  byId: Map<string, CompiledRule>;
}

export interface RuleLoadProblem {
  file: string;
  line: number;
  message: string;
}
