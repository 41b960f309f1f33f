import type { ScaHost, ProcessInfo } from './host-access.ts';
import { FOUND, INVALID, matchLine, NOT_FOUND, toLines } from './match-pattern.ts';
import type { CheckOutcome, CheckResult, Condition, ContentPattern, PolicyScan, RegexType, ScaCheck, ScaPolicy, ScaRule } from './policy-types.ts';
import { fileNameMatches } from './sca-patterns.ts';

/**
 * Evaluates SCA policies against a host seen only through ScaHost. The semantics are those of Wazuh's agent
 * (wm_sca.c): each rule gives found / not found / not applicable (with a reason), `not` inverts found and not
 * found, and a check's condition aggregates its rules:
 *
 * - all:  failed at the first rule not found; otherwise not applicable if any rule was, else passed;
 * - any:  passed at the first rule found; otherwise not applicable if any rule was, else failed;
 * - none: failed at the first rule found; otherwise not applicable if any rule was, else passed.
 *
 * A content rule on a file that does not exist is not applicable; an existence rule on it is not found.
 */

type Verdict = typeof NOT_FOUND | typeof FOUND | typeof INVALID;

type Targets = CheckOutcome['targets'];

/** State of one check's evaluation: the first reason recorded, and what its rules looked at. */
class CheckContext {
  reason: string | undefined;
  readonly targets: Targets = { file: [], directory: [], command: [], process: [], registry: [] };

  constructor(
    readonly host: ScaHost,
    readonly regexType: RegexType,
    private readonly processes: () => Promise<{ ok: true; processes: ProcessInfo[] } | { ok: false; error: string }>,
  ) {}

  note(reason: string | undefined): void {
    if (reason !== undefined && this.reason === undefined) this.reason = reason;
  }

  target(kind: keyof Targets, what: string): void {
    if (!this.targets[kind].includes(what)) this.targets[kind].push(what);
  }

  listProcesses() {
    return this.processes();
  }
}

function classify(value: number): Verdict {
  return value === FOUND ? FOUND : value === INVALID ? INVALID : NOT_FOUND;
}

function list(location: string): string[] {
  return location.split(',').filter((p) => p !== '');
}

async function fileExists(path: string, ctx: CheckContext): Promise<Verdict> {
  const probe = await ctx.host.fs.probe(path);
  if (!probe.ok) {
    ctx.note(`Could not open '${path}': ${probe.error}`);
    return INVALID;
  }
  if (probe.kind === 'missing') return NOT_FOUND;
  if (probe.kind === 'file') return FOUND;
  ctx.note(`'${path}' is not a regular file`);
  return INVALID;
}

async function fileContents(path: string, pattern: ContentPattern, ctx: CheckContext): Promise<number> {
  const read = await ctx.host.fs.readText(path);
  if (!read.ok) {
    ctx.note(`Could not open file '${path}': ${read.error}`);
    return INVALID;
  }
  let result = NOT_FOUND as number;
  for (const line of toLines(read.text)) {
    const v = matchLine(pattern, line, ctx.regexType);
    ctx.note(v.reason);
    result = v.value;
    if (result !== NOT_FOUND) break;
  }
  return result;
}

async function fileList(location: string, pattern: ContentPattern | undefined, ctx: CheckContext): Promise<Verdict> {
  let acc: Verdict = NOT_FOUND;
  for (const path of list(location)) {
    if (!pattern) {
      const r = await fileExists(path, ctx);
      if (r === FOUND) return FOUND;
      if (r === INVALID) acc = INVALID;
      continue;
    }
    if ((await fileExists(path, ctx)) !== FOUND) {
      ctx.note(`Could not open file '${path}'`);
      acc = INVALID;
      continue;
    }
    const r = classify(await fileContents(path, pattern, ctx));
    if (r === FOUND) return FOUND;
    if (r === INVALID) acc = INVALID;
  }
  return acc;
}

const MAX_DEPTH = 32;

async function directoryFiles(dir: string, filter: string, pattern: ContentPattern | undefined, ctx: CheckContext, depth: number): Promise<Verdict> {
  const probe = await ctx.host.fs.probe(dir);
  if (!probe.ok || probe.kind !== 'directory') {
    ctx.note(probe.ok ? `Could not open dir '${dir}'` : `Could not open dir '${dir}': ${probe.error}`);
    return INVALID;
  }
  const read = await ctx.host.fs.readDirectory(dir);
  if (!read.ok) {
    ctx.note(`Could not open '${dir}': ${read.error}`);
    return INVALID;
  }
  let acc: Verdict = NOT_FOUND;
  const entries = [...read.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = `${dir.replace(/\/+$/, '')}/${entry.name}`;
    let r: Verdict;
    if (entry.isDirectory) {
      if (depth >= MAX_DEPTH) continue;
      r = await directoryFiles(path, filter, pattern, ctx, depth + 1);
    } else if (fileNameMatches(filter, entry.name)) {
      r = await fileList(path, pattern, ctx);
    } else continue;
    if (r === FOUND) return FOUND;
    if (r === INVALID) acc = INVALID;
  }
  return acc;
}

async function directoryExists(dir: string, ctx: CheckContext): Promise<Verdict> {
  const probe = await ctx.host.fs.probe(dir);
  if (!probe.ok) {
    ctx.note(`Could not check directory existence for '${dir}': ${probe.error}`);
    return INVALID;
  }
  if (probe.kind === 'missing') return NOT_FOUND;
  if (probe.kind === 'directory') return FOUND;
  ctx.note(`Could not check directory existence for '${dir}': not a directory`);
  return INVALID;
}

async function directoryRule(rule: Extract<ScaRule, { type: 'directory' }>, ctx: CheckContext): Promise<Verdict> {
  let acc: Verdict = NOT_FOUND;
  for (const dir of list(rule.location)) {
    ctx.target('directory', dir);
    const r = rule.fileFilter === undefined ? await directoryExists(dir, ctx) : await directoryFiles(dir, rule.fileFilter, rule.pattern, ctx, 0);
    if (r === FOUND) return FOUND;
    if (r === INVALID) acc = INVALID;
  }
  return acc;
}

async function commandRule(rule: Extract<ScaRule, { type: 'command' }>, ctx: CheckContext): Promise<Verdict> {
  ctx.target('command', rule.command);
  // As in Wazuh, a command rule without a pattern is found without running anything.
  if (!rule.pattern) return FOUND;
  const outcome = await ctx.host.commands.run(rule.command);
  switch (outcome.kind) {
    case 'timed-out':
      ctx.note(`Command '${rule.command}' did not finish within ${outcome.limitMs} ms and was killed`);
      return INVALID;
    case 'failed':
      ctx.note(outcome.message);
      return INVALID;
    case 'disabled':
      ctx.note(outcome.reason);
      return INVALID;
    case 'exited': {
      // Every line is tried until one is found; otherwise the last line's verdict stands (wm_sca_read_command).
      let result: number = NOT_FOUND;
      for (const line of toLines(outcome.output)) {
        const v = matchLine(rule.pattern, line, ctx.regexType);
        ctx.note(v.reason);
        result = v.value;
        if (result === FOUND) break;
      }
      return classify(result);
    }
  }
}

async function processRule(rule: Extract<ScaRule, { type: 'process' }>, ctx: CheckContext): Promise<Verdict> {
  ctx.target('process', rule.pattern.source);
  const table = await ctx.listProcesses();
  if (!table.ok) {
    ctx.note(`Cannot list processes: ${table.error}`);
    return INVALID;
  }
  for (const p of table.processes) {
    for (const subject of p.path === undefined ? [p.name] : [p.name, p.path]) {
      if (matchLine(rule.pattern, subject, ctx.regexType).value !== NOT_FOUND) return FOUND;
    }
  }
  return NOT_FOUND;
}

async function evaluateRule(rule: ScaRule, ctx: CheckContext): Promise<Verdict> {
  switch (rule.type) {
    case 'file':
      ctx.target('file', rule.location);
      return fileList(rule.location, rule.pattern, ctx);
    case 'directory':
      return directoryRule(rule, ctx);
    case 'command':
      return commandRule(rule, ctx);
    case 'process':
      return processRule(rule, ctx);
    case 'registry':
      ctx.target('registry', rule.key);
      ctx.note(`Registry rules apply to Windows only; this host is ${ctx.host.platform ?? 'linux'}`);
      return INVALID;
  }
}

/** Aggregates a check's rules under its condition, exactly as wm_sca_do_scan does. */
async function aggregate(condition: Condition, rules: readonly ScaRule[], ctx: CheckContext): Promise<Verdict> {
  let g: Verdict = condition === 'all' ? FOUND : NOT_FOUND;
  for (const rule of rules) {
    let found = await evaluateRule(rule, ctx);
    if (found !== INVALID && rule.negated) found = found === FOUND ? NOT_FOUND : FOUND;
    if ((condition === 'all' && found === NOT_FOUND) || (condition !== 'all' && found === FOUND)) {
      g = found;
      break;
    }
    if (found === INVALID) g = INVALID;
  }
  if (condition === 'none' && g !== INVALID) g = g === FOUND ? NOT_FOUND : FOUND;
  return g;
}

export interface CheckEvaluation {
  result: CheckResult;
  reason?: string;
  targets: Targets;
}

type ProcessLoader = () => Promise<{ ok: true; processes: ProcessInfo[] } | { ok: false; error: string }>;

function lazyProcesses(host: ScaHost): ProcessLoader {
  let pending: ReturnType<ProcessLoader> | undefined;
  return () => (pending ??= host.processes.list());
}

/** Evaluates one condition + rules (a check, or a policy's requirements). */
export async function evaluateRules(
  condition: Condition,
  rules: readonly ScaRule[],
  host: ScaHost,
  regexType: RegexType = 'osregex',
  processes: ProcessLoader = lazyProcesses(host),
): Promise<CheckEvaluation> {
  const ctx = new CheckContext(host, regexType, processes);
  const g = await aggregate(condition, rules, ctx);
  if (g === FOUND) return { result: 'passed', targets: ctx.targets };
  if (g === NOT_FOUND) return { result: 'failed', targets: ctx.targets };
  return { result: 'not applicable', reason: ctx.reason ?? 'Unknown reason', targets: ctx.targets };
}

export async function evaluateCheck(check: ScaCheck, policy: Pick<ScaPolicy, 'regexType'>, host: ScaHost, processes?: ProcessLoader): Promise<CheckOutcome> {
  const e = await evaluateRules(check.condition, check.rules, host, check.regexType ?? policy.regexType, processes ?? lazyProcesses(host));
  return { id: check.id, result: e.result, ...(e.reason !== undefined ? { reason: e.reason } : {}), targets: e.targets };
}

/** Wazuh's score: passed / (passed + failed) × 100, truncated to an integer as its alerts show it; 0 when nothing counted. */
export function scoreOf(passed: number, failed: number): number {
  return passed + failed === 0 ? 0 : Math.floor((passed * 100) / (passed + failed));
}

/**
 * Evaluates a whole policy: its requirements first (a policy whose requirements are not met is not scanned),
 * then every check in order. Commands run one at a time; the process list is read at most once per scan.
 */
export async function evaluatePolicy(policy: ScaPolicy, host: ScaHost): Promise<PolicyScan> {
  const processes = lazyProcesses(host);
  if (policy.requirements) {
    const req = await evaluateRules(policy.requirements.condition, policy.requirements.rules, host, policy.regexType, processes);
    if (req.result !== 'passed') {
      const why = req.result === 'failed' ? 'not met' : `not applicable: ${req.reason ?? 'Unknown reason'}`;
      return {
        policyId: policy.id,
        status: 'requirements not satisfied',
        skippedReason: `${policy.requirements.title} (${why})`,
        checks: [],
        passed: 0,
        failed: 0,
        notApplicable: 0,
        score: 0,
      };
    }
  }
  const checks: CheckOutcome[] = [];
  for (const check of policy.checks) checks.push(await evaluateCheck(check, policy, host, processes));
  const passed = checks.filter((c) => c.result === 'passed').length;
  const failed = checks.filter((c) => c.result === 'failed').length;
  return {
    policyId: policy.id,
    status: 'scanned',
    checks,
    passed,
    failed,
    notApplicable: checks.length - passed - failed,
    score: scoreOf(passed, failed),
  };
}
