import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DecodedEvent, RawEvent } from '@vigil/common';
import { Accumulator, decodeEvent, decoderSources, loadDecoders, type DecoderSet } from '@vigil/decoder';
import { evaluateEvent, loadRules, newEngineState, readRulesetFiles, type CompiledRuleset } from '@vigil/rule-engine';
import type { RulesetCase } from './ruleset-cases.ts';

/** Vigil's own ruleset: this folder's parent. */
export const VIGIL_RULESET = resolve(import.meta.dirname, '..');

export interface LoadProblem {
  file: string;
  line: number;
  message: string;
}

export interface LoadedRuleset {
  decoders: DecoderSet;
  rules: CompiledRuleset;
  errors: LoadProblem[];
  warnings: LoadProblem[];
  decoderCount: number;
}

/**
 * Loads decoders, rules and CDB lists of the given ruleset folders through the engines' own loading functions
 * (files sorted by basename across all folders, as Wazuh sorts them).
 */
export function loadRuleset(paths: readonly string[]): LoadedRuleset {
  const decoded = loadDecoders(decoderSources(paths));
  const { sources, lists } = readRulesetFiles(paths);
  const rules = loadRules(sources, { lists });
  const problem = (p: { file: string; line: number; message: string }): LoadProblem => ({ file: p.file, line: p.line, message: p.message });
  return {
    decoders: decoded.set,
    rules: rules.ruleset,
    errors: [...decoded.errors.map(problem), ...rules.errors.map(problem)],
    warnings: [...decoded.warnings.map(problem), ...rules.warnings.map(problem)],
    decoderCount: decoded.set.decoderCount,
  };
}

export interface CaseOutcome {
  rule: string;
  level: string;
  decoder: string;
  /** The rule's description as the alert shows it (fields substituted); '' when no rule matched. */
  description?: string;
}

const AGENT = { id: '001', name: 'vigil-test', ip: '10.9.9.9' };
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function rawEventOf(c: RulesetCase, line: string, seq: number): RawEvent {
  const base = {
    v: 1 as const,
    id: `${AGENT.id}:${seq}`,
    seq,
    agent: AGENT,
    kind: c.kind,
    location: c.location,
    collectedAt: new Date(T0 + seq * 1000).toISOString(),
  };
  if (c.kind === 'log') return { ...base, log: line };
  return { ...base, payload: JSON.parse(line) as Record<string, unknown> };
}

/**
 * Runs one sequence as one logtest session (its own correlation state and accumulator), one second apart, and
 * returns what the LAST event gave: rule id, level and owner decoder name ('' when none).
 */
export function runCase(ruleset: LoadedRuleset, c: RulesetCase): CaseOutcome {
  const state = newEngineState();
  const accumulator = new Accumulator();
  let last: CaseOutcome = { rule: '', level: '', decoder: '' };
  c.lines.forEach((line, i) => {
    const now = T0 + (i + 1) * 1000;
    const event: DecodedEvent = decodeEvent(rawEventOf(c, line, i + 1), { partitions: 1, now: new Date(now), decoders: ruleset.decoders, accumulator });
    const evaluation = evaluateEvent(ruleset.rules, state, event, { managerName: 'vigil-test-manager', now });
    last = {
      rule: evaluation.ruleId ?? '',
      level: evaluation.level === undefined ? '' : String(evaluation.level),
      decoder: event.decoder?.name ?? '',
      description: evaluation.ruleOutput?.description ?? '',
    };
  });
  return last;
}

/** Whether an outcome satisfies a case: see ruleset-cases.ts for what `pass` and `fail` mean. */
export function verdict(c: RulesetCase, got: CaseOutcome): string | undefined {
  if (c.expect === 'fail') return got.rule === c.rule ? `must not give rule ${c.rule}, but did` : undefined;
  const want = { rule: c.rule, level: c.level, decoder: c.decoder };
  const diffs = (Object.keys(want) as Array<keyof typeof want>)
    .filter((k) => want[k] !== '' && want[k] !== got[k])
    .map((k) => `${k} '${got[k]}' (want '${want[k]}')`);
  return diffs.length > 0 ? diffs.join(', ') : undefined;
}

export interface RuleDeclaration {
  id: string;
  level: number;
  file: string;
  /** The rule has a condition worth a must-not-match case (a pattern, field, correlation or address test). */
  conditional: boolean;
}

const CONDITIONS = /<(match|regex|field|srcip|dstip|user|id|url|action|status|program_name|hostname|extra_data|location|if_matched_sid|if_matched_group|time|weekday|list)\b/;

/**
 * The rules declared in a folder of rule files, read from the XML itself (not from an engine's compiled form), so
 * that the coverage check does not depend on what an engine keeps.
 */
export function declaredRules(rulesDir: string): RuleDeclaration[] {
  const out: RuleDeclaration[] = [];
  for (const name of readdirSync(rulesDir).filter((n) => n.endsWith('.xml')).sort()) {
    const text = readFileSync(join(rulesDir, name), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    for (const m of text.matchAll(/<rule\s([^>]*)>([\s\S]*?)<\/rule>/g)) {
      const attrs = m[1] as string;
      const id = /\bid="(\d+)"/.exec(attrs)?.[1];
      const level = Number(/\blevel="(\d+)"/.exec(attrs)?.[1] ?? NaN);
      if (id === undefined) continue;
      const body = (m[2] as string).replace(/<mitre>[\s\S]*?<\/mitre>/g, '');
      out.push({ id, level, file: basename(name), conditional: CONDITIONS.test(body) || /\bfrequency=/.test(attrs) });
    }
  }
  return out;
}
