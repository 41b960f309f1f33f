import { PassThrough, Readable } from 'node:stream';
import { logtestRules } from '@vigil/rule-engine';
import type { VigilConfig } from '../config.ts';
import { logtestCommand } from './logtest.ts';

/** What the dashboard's rule-testing page shows: `vigil logtest`'s output and its messages, as it prints them. */
export interface DashboardLogtestResult {
  output: string;
  messages: string;
  exitCode: number;
}

async function collect(stream: PassThrough): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The dashboard's rule testing, composed here so that the indexer never imports the decoder or the rule engine:
 * runs `vigil logtest` over the pasted lines (one session, the configuration's rulesets, as the pipeline runs
 * them) and returns what it prints.
 */
export function dashboardLogtest(config: VigilConfig): (text: string) => Promise<DashboardLogtestResult> {
  return async (text) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const exitCode = await logtestCommand(
      { rulesets: config.decoder.rulesets, ruleRulesets: config.ruleEngine.rulesets, rules: logtestRules },
      { stdin: Readable.from([text]), stdout, stderr },
    );
    stdout.end();
    stderr.end();
    return { output: await out, messages: await err, exitCode };
  };
}
