import type { DecodedEvent, RawEvent } from '@vigil/common';
import { Accumulator, decodeEvent, decoderSources, loadDecoders, type DecoderSet } from '@vigil/decoder';
import { evaluateEvent, loadRules, newEngineState, readRulesetFiles, type CompiledRuleset } from '@vigil/rule-engine';
import { wazuhRunnerEdit, type CaseOutcome, type RulesetCase, type RulesetProblem } from '@vigil/wazuh-format';

/**
 * Running `.ini` test cases (Wazuh's test-suite format, see `casesOf` of @vigil/wazuh-format) through the decoder
 * and rule engines: what `vigil ruletest` and the ruleset's own tests (ruleset/test) share.
 */
export interface LoadedRuleset {
  decoders: DecoderSet;
  rules: CompiledRuleset;
  errors: RulesetProblem[];
  warnings: RulesetProblem[];
  decoderCount: number;
}

/**
 * Loads decoders, rules and CDB lists of the given ruleset paths through the engines' own loading functions
 * (decoder files sorted by basename across all paths, as Wazuh sorts them). With `wazuhRunner`, the rule files
 * get the edit Wazuh's own test runner makes (`wazuhRunnerEdit`).
 */
export function loadRuleset(paths: readonly string[], options: { wazuhRunner?: boolean } = {}): LoadedRuleset {
  const decoded = loadDecoders(decoderSources(paths));
  const { sources, lists } = readRulesetFiles(paths);
  const rules = loadRules(options.wazuhRunner ? sources.map((s) => ({ file: s.file, text: wazuhRunnerEdit(s.file, s.text) })) : sources, { lists });
  const problem = (p: RulesetProblem): RulesetProblem => ({ file: p.file, line: p.line, message: p.message });
  return {
    decoders: decoded.set,
    rules: rules.ruleset,
    errors: [...decoded.errors.map(problem), ...rules.errors.map(problem)],
    warnings: [...decoded.warnings.map(problem), ...rules.warnings.map(problem)],
    decoderCount: decoded.set.decoderCount,
  };
}

const AGENT = { id: '001', name: 'vigil-test', ip: '10.9.9.9' };
/** A Wednesday at noon (UTC): `<time>` and `<weekday>` rules give the same answer whatever day the tests run. */
export const CASE_CLOCK = Date.parse('2024-01-10T12:00:00.000Z');

function rawEventOf(c: RulesetCase, line: string, seq: number, at: number): RawEvent {
  const base = { v: 1 as const, id: `${AGENT.id}:${seq}`, seq, agent: AGENT, kind: c.kind, location: c.location, collectedAt: new Date(at).toISOString() };
  if (c.kind === 'log') return { ...base, log: line };
  return { ...base, payload: JSON.parse(line) as Record<string, unknown> };
}

/**
 * Runs one case as one session (its own correlation state and accumulator), its lines one second apart, and
 * returns what the LAST line gave. A rule within its `ignore` time reports its parent as the pipeline (Wazuh's
 * analysisd) does, or, with `ignoreMode: 'drop'`, nothing, as wazuh-logtest (which Wazuh's test runner drives) does.
 */
export function runCase(ruleset: LoadedRuleset, c: RulesetCase, options: { ignoreMode?: 'parent' | 'drop' } = {}): CaseOutcome {
  const state = newEngineState();
  const accumulator = new Accumulator();
  let last: CaseOutcome = { rule: '', level: '', decoder: '' };
  c.lines.forEach((line, i) => {
    const now = CASE_CLOCK + i * 1000;
    const event: DecodedEvent = decodeEvent(rawEventOf(c, line, i + 1, now), { partitions: 1, now: new Date(now), decoders: ruleset.decoders, accumulator });
    const evaluation = evaluateEvent(ruleset.rules, state, event, { managerName: 'vigil-test-manager', now, ignoreMode: options.ignoreMode ?? 'parent' });
    last = {
      rule: evaluation.ruleId ?? '',
      level: evaluation.level === undefined ? '' : String(evaluation.level),
      decoder: event.decoder?.name ?? '',
      description: evaluation.ruleOutput?.description ?? '',
    };
  });
  return last;
}
