/**
 * A worker thread of the rule-engine pool: compiles the ruleset once (from the same sources as the main thread)
 * and evaluates batches on the correlation state of the agents it owns. A reload task (queued between two
 * batches) compiles the new sources and carries the state over. Only wraps evaluateMessages.
 */
import { workerData } from 'node:worker_threads';
import type { ListSource, RulesetSource } from '@vigil/wazuh-format';
import { newEngineState } from '../core/rule-engine.ts';
import { loadRules } from '../core/load-rules.ts';
import { carryCorrelationState } from '../core/carry-state.ts';
import { evaluateMessages, type EvaluationSettings, type ItemResult, type MessageItem } from './evaluate-messages.ts';
import { loadRulesetFiles, type RuleCompileOptions } from './rule-files.ts';
import { openGeoIpDatabase } from './geoip-database.ts';

/** The sources to compile, the same the main thread compiled. */
export interface WorkerRuleset {
  sources: RulesetSource[];
  lists: ListSource[];
  hash: string;
  compile: RuleCompileOptions;
}

interface WorkerInit {
  /** Paths to read, when `loaded` is not given. */
  rulesets: string[];
  loaded?: WorkerRuleset;
  geoip: boolean;
  settings: EvaluationSettings;
}

export interface ReloadTask {
  reload: WorkerRuleset;
}

const init = workerData as WorkerInit;
const compile = (r: WorkerRuleset) => loadRules(r.sources, { lists: r.lists, geoip: init.geoip, ...r.compile }).ruleset;
let ruleset = init.loaded ? compile(init.loaded) : loadRulesetFiles(init.rulesets, { geoip: init.geoip }).ruleset;
let settings: EvaluationSettings = init.settings;
const state = newEngineState();
const geoLookup = init.settings.geoipDatabase ? openGeoIpDatabase(init.settings.geoipDatabase) : undefined;

export default function evaluate(task: MessageItem[] | ReloadTask): ItemResult[] {
  if (!Array.isArray(task)) {
    const next = compile(task.reload);
    carryCorrelationState(ruleset, next, state);
    ruleset = next;
    settings = { ...settings, rulesetHash: task.reload.hash };
    return [];
  }
  return evaluateMessages(ruleset, state, task, settings, geoLookup);
}
