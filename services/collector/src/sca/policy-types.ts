/**
 * An SCA policy in Wazuh's YAML format, compiled into plain data: the policy header, its requirements, and its
 * checks with their rules parsed (see parse-rule.ts). Nothing here touches the host.
 */

export type Condition = 'all' | 'any' | 'none';

/** One term of a content pattern; the terms of a pattern are joined by ` && ` and must all hold on one line. */
export type Minterm =
  | { kind: 'regex'; negated: boolean; source: string }
  | { kind: 'numeric'; negated: boolean; source: string }
  | { kind: 'literal'; negated: boolean; source: string };

export interface ContentPattern {
  source: string;
  minterms: Minterm[];
}

interface RuleBase {
  /** The rule as written in the policy. */
  text: string;
  /** Written `not ...`: the rule's found / not found is inverted (not applicable stays so). */
  negated: boolean;
}

export type ScaRule =
  | (RuleBase & { type: 'file'; location: string; pattern?: ContentPattern })
  | (RuleBase & { type: 'directory'; location: string; fileFilter?: string; pattern?: ContentPattern })
  | (RuleBase & { type: 'command'; command: string; pattern?: ContentPattern })
  | (RuleBase & { type: 'process'; pattern: ContentPattern })
  | (RuleBase & { type: 'registry'; key: string });

export interface ScaCheck {
  id: number;
  title: string;
  description?: string;
  rationale?: string;
  impact?: string;
  remediation?: string;
  references: string[];
  /** Framework → versions or controls, e.g. `{ cis: ['1.1.2'], pci_dss_v4.0: ['2.2.4'] }`, in policy order. */
  compliance: Record<string, string[]>;
  condition: Condition;
  rules: ScaRule[];
  regexType?: RegexType;
  /** 1-based line of the check in its file. */
  line: number;
}

export type RegexType = 'osregex' | 'pcre2';

export interface ScaRequirements {
  title: string;
  description: string;
  condition: Condition;
  rules: ScaRule[];
}

export interface ScaPolicy {
  id: string;
  file: string;
  name: string;
  description: string;
  references: string[];
  regexType: RegexType;
  requirements?: ScaRequirements;
  /** `$name` → value, substituted into the location part of f:, d: and c: rules (longest names first). */
  variables: Record<string, string>;
  checks: ScaCheck[];
  /** Where it was read from (for messages). */
  source: string;
  /** Problems that do not stop the policy, e.g. a regex that can never match because it does not compile (Wazuh ignores it too). */
  warnings: Array<{ line: number; message: string }>;
}

export type CheckResult = 'passed' | 'failed' | 'not applicable';

export interface CheckOutcome {
  id: number;
  result: CheckResult;
  /** Why the check is not applicable (absent for passed / failed). */
  reason?: string;
  /** What the rules looked at, as Wazuh reports them (`file`, `directory`, `command`, `process`, `registry`). */
  targets: { file: string[]; directory: string[]; command: string[]; process: string[]; registry: string[] };
}

export interface PolicyScan {
  policyId: string;
  status: 'scanned' | 'requirements not satisfied';
  /** Set when the requirements were not satisfied: their title and the reason. */
  skippedReason?: string;
  checks: CheckOutcome[];
  passed: number;
  failed: number;
  notApplicable: number;
  /** passed / (passed + failed) × 100, 0 when both are 0 (as Wazuh). */
  score: number;
}
