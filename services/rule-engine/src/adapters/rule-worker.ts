/**
 * A worker thread of the rule-engine pool: compiles the ruleset once (from the same files as the main thread) and
 * evaluates batches on the correlation state of the agents it owns. Only wraps evaluateMessages.
 */
import { workerData } from 'node:worker_threads';
import { newEngineState } from '../core/rule-engine.ts';
import { evaluateMessages, type EvaluationSettings, type ItemResult, type MessageItem } from './evaluate-messages.ts';
import { loadRulesetFiles, type RuleFileOptions } from './rule-files.ts';
import { openGeoIpDatabase } from './geoip-database.ts';

interface WorkerInit {
  rulesets: string[];
  geoip: boolean;
  /** How the files are found and compiled beside their paths (an ossec.conf, the semantics). */
  load: Omit<RuleFileOptions, 'geoip'>;
  settings: EvaluationSettings;
}

const init = workerData as WorkerInit;
const { ruleset } = loadRulesetFiles(init.rulesets, { ...init.load, geoip: init.geoip });
const state = newEngineState();
const geoLookup = init.settings.geoipDatabase ? openGeoIpDatabase(init.settings.geoipDatabase) : undefined;

export default function evaluate(items: MessageItem[]): ItemResult[] {
  return evaluateMessages(ruleset, state, items, init.settings, geoLookup);
}
