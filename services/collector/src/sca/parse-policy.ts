import { FAILSAFE_SCHEMA, load } from 'js-yaml';
import { VigilError } from '@vigil/common';
import type { Condition, RegexType, ScaCheck, ScaPolicy, ScaRequirements, ScaRule } from './policy-types.ts';
import { parseRule, RuleSyntaxError } from './parse-rule.ts';
import { osRegexProblem } from './sca-patterns.ts';

/**
 * Reads an SCA policy (Wazuh's YAML format) into a ScaPolicy. Every problem is reported as `file:line: message`,
 * all of them at once, in one VigilError with code SCA_POLICY_INVALID; a policy with a problem is never half
 * loaded. YAML is read with the fail-safe schema so that `5.10` stays the text `5.10`.
 */

export interface PolicyProblem {
  line: number;
  message: string;
}

const MAX_RULES = 255;

type Doc = Record<string, unknown>;

function isMap(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Line numbers of the things problems point at, found in the source text (1-based). */
class LineIndex {
  private readonly lines: string[];
  private readonly checkLines = new Map<string, number>();

  constructor(source: string) {
    this.lines = source.split('\n');
    this.lines.forEach((line, i) => {
      const m = /^\s*-\s+id:\s*['"]?(\d+)['"]?\s*(#.*)?$/.exec(line);
      if (m && !this.checkLines.has(m[1] as string)) this.checkLines.set(m[1] as string, i + 1);
    });
  }

  key(name: string): number {
    const i = this.lines.findIndex((l) => l.startsWith(`${name}:`));
    return i < 0 ? 1 : i + 1;
  }

  check(id: unknown, fallback: number): number {
    return (typeof id === 'string' && this.checkLines.get(id.trim())) || fallback;
  }

  /** The first line at or after `from` that contains `needle`. */
  find(needle: string, from: number): number {
    for (let i = Math.max(0, from - 1); i < this.lines.length; i++) if ((this.lines[i] as string).includes(needle)) return i + 1;
    return from;
  }
}

function parseCondition(v: unknown): Condition | undefined {
  switch (v) {
    case 'all':
    case 'all required':
      return 'all';
    case 'any':
    case 'any required':
      return 'any';
    case 'none':
      return 'none';
    default:
      return undefined;
  }
}

function parseRegexType(v: unknown): RegexType | undefined | 'invalid' {
  if (v === undefined || v === null) return undefined;
  if (v === 'osregex' || v === 'pcre2') return v;
  return 'invalid';
}

function stringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return [v];
  return [];
}

function parseCompliance(v: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (entry: Doc) => {
    for (const [k, versions] of Object.entries(entry)) out[k] = [...(out[k] ?? []), ...stringList(versions)];
  };
  if (Array.isArray(v)) for (const entry of v) if (isMap(entry)) add(entry);
  if (isMap(v)) add(v);
  return out;
}

function parseRules(
  raw: unknown,
  variables: Record<string, string>,
  where: { line: number; what: string },
  index: LineIndex,
  problems: PolicyProblem[],
): ScaRule[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push({ line: where.line, message: `${where.what}: 'rules' must be a non-empty list` });
    return [];
  }
  if (raw.length > MAX_RULES) problems.push({ line: where.line, message: `${where.what}: more than ${MAX_RULES} rules` });
  const rules: ScaRule[] = [];
  for (const r of raw) {
    if (typeof r !== 'string') {
      problems.push({ line: where.line, message: `${where.what}: every rule must be a string (got ${JSON.stringify(r)})` });
      continue;
    }
    try {
      rules.push(parseRule(r, variables));
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw err;
      problems.push({ line: index.find(r.slice(0, 40), where.line), message: `${where.what}: ${err.message}` });
    }
  }
  return rules;
}

/** Parses the YAML text of a policy; `source` (its path) is used in messages. */
export function parsePolicy(source: string, yamlText: string): ScaPolicy {
  let doc: unknown;
  try {
    doc = load(yamlText, { schema: FAILSAFE_SCHEMA, filename: source });
  } catch (cause) {
    const mark = (cause as { mark?: { line: number; column: number } }).mark;
    const reason = (cause as { reason?: string }).reason ?? (cause as Error).message.split('\n')[0];
    const where = mark ? `${source}:${mark.line + 1}:${mark.column + 1}` : source;
    throw new VigilError('SCA_POLICY_INVALID', `${where}: invalid YAML: ${reason}`, {
      cause,
      details: { file: source, line: mark ? mark.line + 1 : undefined },
    });
  }
  const index = new LineIndex(yamlText);
  const problems: PolicyProblem[] = [];
  if (!isMap(doc)) {
    throw new VigilError('SCA_POLICY_INVALID', `${source}:1: a policy must be a YAML mapping with 'policy' and 'checks'`, {
      details: { file: source, line: 1 },
    });
  }

  const header = doc['policy'];
  const headerLine = index.key('policy');
  const policy = isMap(header) ? header : {};
  if (!isMap(header)) problems.push({ line: headerLine, message: "section 'policy' is missing or is not a mapping" });
  for (const field of ['id', 'file', 'name', 'description'] as const) {
    if (isMap(header) && text(policy[field]) === undefined) problems.push({ line: headerLine, message: `policy: field '${field}' must be a string` });
  }
  const regexType = parseRegexType(policy['regex_type']);
  if (regexType === 'invalid') problems.push({ line: headerLine, message: "policy: 'regex_type' must be osregex or pcre2" });

  const variables: Record<string, string> = {};
  const rawVars = doc['variables'];
  if (rawVars !== undefined && rawVars !== null) {
    if (!isMap(rawVars)) problems.push({ line: index.key('variables'), message: "section 'variables' must be a mapping" });
    else
      for (const [name, value] of Object.entries(rawVars)) {
        if (!name.startsWith('$')) problems.push({ line: index.find(name, index.key('variables')), message: `variable '${name}' must start with '$'` });
        else variables[name] = typeof value === 'string' ? value : '';
      }
  }

  let requirements: ScaRequirements | undefined;
  const rawReq = doc['requirements'];
  if (rawReq !== undefined && rawReq !== null) {
    const line = index.key('requirements');
    if (!isMap(rawReq)) problems.push({ line, message: "section 'requirements' must be a mapping" });
    else {
      const condition = parseCondition(rawReq['condition']);
      if (!condition) problems.push({ line, message: `requirements: condition must be all, any or none (got ${JSON.stringify(rawReq['condition'])})` });
      for (const field of ['title', 'description'] as const) {
        if (text(rawReq[field]) === undefined) problems.push({ line, message: `requirements: field '${field}' must be a string` });
      }
      const rules = parseRules(rawReq['rules'], variables, { line, what: 'requirements' }, index, problems);
      requirements = {
        title: text(rawReq['title']) ?? '',
        description: text(rawReq['description']) ?? '',
        condition: condition ?? 'all',
        rules,
      };
    }
  }

  const checks: ScaCheck[] = [];
  const rawChecks = doc['checks'];
  const checksLine = index.key('checks');
  if (!Array.isArray(rawChecks)) problems.push({ line: checksLine, message: "section 'checks' is missing or is not a list" });
  const seen = new Set<number>();
  for (const [i, raw] of (Array.isArray(rawChecks) ? rawChecks : []).entries()) {
    if (!isMap(raw)) {
      problems.push({ line: checksLine, message: `check #${i + 1} is not a mapping` });
      continue;
    }
    const line = index.check(raw['id'], checksLine);
    const idText = text(raw['id'])?.trim() ?? '';
    const id = /^\d+$/.test(idText) ? Number(idText) : NaN;
    const what = `check ${Number.isNaN(id) ? `#${i + 1}` : id}`;
    if (!(id > 0) || !Number.isSafeInteger(id)) problems.push({ line, message: `${what}: 'id' must be a positive integer (got ${JSON.stringify(raw['id'])})` });
    else if (seen.has(id)) problems.push({ line, message: `${what}: duplicated check id` });
    seen.add(id);
    const title = text(raw['title']);
    if (title === undefined) problems.push({ line, message: `${what}: 'title' must be a string` });
    const condition = parseCondition(raw['condition']);
    if (!condition) problems.push({ line, message: `${what}: condition must be all, any or none (got ${JSON.stringify(raw['condition'])})` });
    const checkRegex = parseRegexType(raw['regex_type']);
    if (checkRegex === 'invalid') problems.push({ line, message: `${what}: 'regex_type' must be osregex or pcre2` });
    const rules = parseRules(raw['rules'], variables, { line, what }, index, problems);
    const optional = (field: string): { [k: string]: string } => {
      const v = text(raw[field]);
      return v === undefined ? {} : { [field]: v };
    };
    checks.push({
      id,
      title: title ?? '',
      ...optional('description'),
      ...optional('rationale'),
      ...optional('impact'),
      ...optional('remediation'),
      references: stringList(raw['references']),
      compliance: parseCompliance(raw['compliance']),
      condition: condition ?? 'all',
      rules,
      ...(checkRegex && checkRegex !== 'invalid' ? { regexType: checkRegex } : {}),
      line,
    });
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    const list = problems.map((p) => `${source}:${p.line}: ${p.message}`);
    throw new VigilError('SCA_POLICY_INVALID', list.length === 1 ? (list[0] as string) : `${source}: ${list.length} problems:\n  ${list.join('\n  ')}`, {
      details: { file: source, problems },
    });
  }

  const warnings: PolicyProblem[] = [];
  const policyRegex = regexType && regexType !== 'invalid' ? regexType : 'osregex';
  for (const check of checks) {
    for (const rule of check.rules) {
      for (const source of regexSources(rule, (check.regexType ?? policyRegex) === 'osregex')) {
        const problem = osRegexProblem(source);
        if (problem !== undefined) {
          warnings.push({ line: index.find(source.slice(0, 40), check.line), message: `check ${check.id}: ${problem}; the pattern never matches` });
        }
      }
    }
  }

  return {
    id: text(policy['id']) as string,
    file: text(policy['file']) as string,
    name: text(policy['name']) as string,
    description: text(policy['description']) as string,
    references: stringList(policy['references']),
    regexType: regexType && regexType !== 'invalid' ? regexType : 'osregex',
    ...(requirements ? { requirements } : {}),
    variables,
    checks,
    source,
    warnings,
  };
}

/** The OS_Regex patterns of a rule: its r: and n: minterms (when the check uses OS_Regex) and a d: file-name regex. */
function regexSources(rule: ScaRule, osregex: boolean): string[] {
  const out: string[] = [];
  if (osregex && 'pattern' in rule && rule.pattern) {
    for (const m of rule.pattern.minterms) {
      if (m.kind === 'regex') out.push(m.source);
      else if (m.kind === 'numeric') out.push(m.source.split(' compare ')[0] as string);
    }
  }
  if (rule.type === 'directory' && rule.fileFilter?.slice(0, 2).toLowerCase() === 'r:') out.push(rule.fileFilter.slice(2));
  return out;
}
