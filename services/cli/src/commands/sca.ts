import { openAlertsReadOnly } from '@vigil/indexer';
import type { VigilConfig } from '../config.ts';

export interface ScaOptions {
  agent?: string | undefined;
  policy?: string | undefined;
  json?: boolean | undefined;
}

/**
 * `vigil sca --agent X`: the SCA policies of an agent with their score, and the checks that fail, from the
 * indexer's SQLite file (the latest result of each check, as the rule engine's SCA alerts reported them).
 */
export function scaCommand(config: VigilConfig, options: ScaOptions, print: (line: string) => void): number {
  if (!options.agent) throw new Error('--agent: which agent (its id or name)?');
  let reader: ReturnType<typeof openAlertsReadOnly>;
  try {
    reader = openAlertsReadOnly(config.indexer.sqlite.path);
  } catch (cause) {
    throw new Error(`no alert database at ${config.indexer.sqlite.path} (is the indexer running? start with: vigil start)`, { cause });
  }
  try {
    const known = reader.agents();
    const agent = known.find((a) => a.id === options.agent) ?? known.find((a) => a.name === options.agent);
    if (!agent) {
      print(`no agent '${options.agent}' has reported alerts (known: ${known.map((a) => `${a.name} (${a.id})`).join(', ') || 'none'})`);
      return 1;
    }
    const report = reader.sca(agent.id, options.policy ? { policy: options.policy } : {});
    if (options.json) {
      print(JSON.stringify(report));
      return 0;
    }
    if (report.summaries.length === 0 && report.checks.length === 0) {
      print(`no SCA results for ${agent.name} (${agent.id}) yet`);
      return 0;
    }
    print(`SCA results for ${agent.name} (${agent.id})`);
    for (const s of report.summaries) {
      print(`  ${s.policyId}  ${s.name}`);
      print(`    score ${s.score}%  passed ${s.passed}  failed ${s.failed}  not applicable ${s.invalid}  (scan ${s.scanId}, ${s.time})`);
    }
    const failing = report.checks.filter((c) => c.result === 'failed');
    print(failing.length === 0 ? '  no failing checks' : `  failing checks (${failing.length}):`);
    for (const c of failing) print(`    ${c.policyId} #${c.checkId}  ${c.title}`);
    return 0;
  } finally {
    reader.close();
  }
}
