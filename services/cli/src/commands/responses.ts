import { connectBus, type Logger } from '@vigil/common';
import { openRecordsOnBus, readResponseRecords, type ResponseRecord } from '@vigil/responder';
import type { VigilConfig } from '../config.ts';

export interface ResponsesOptions {
  agent?: string | undefined;
  active?: boolean | undefined;
  json?: boolean | undefined;
}

/** Whether a command is still in force: not a dry run, and its revert time (if any) is still ahead. */
export function isActive(record: ResponseRecord, now: Date): boolean {
  if (record.command.dryRun) return false;
  return record.until === undefined || Date.parse(record.until) > now.getTime();
}

export function selectResponses(records: readonly ResponseRecord[], options: ResponsesOptions, now: Date): ResponseRecord[] {
  return records.filter((r) => (options.agent === undefined || r.command.agent === options.agent) && (!options.active || isActive(r, now)));
}

/** One line: where, what on whom, since when, until when, and why. */
export function formatResponse(record: ResponseRecord, now: Date): string {
  const c = record.command;
  const target = c.srcip ?? c.user ?? '-';
  const until = record.until ?? 'never reverted';
  const state = c.dryRun ? 'DRY RUN' : isActive(record, now) ? 'ACTIVE' : 'reverted';
  const offense = c.offense > 1 ? `  offense ${c.offense}` : '';
  return `${c.agent}  ${c.response} (${c.command}${c.script ? ` ${c.script}` : ''}) ${target}  since ${record.sentAt}  until ${until}  ${state}${offense}  alert ${c.alert.id} rule ${c.alert.rule.id}: ${c.alert.rule.description}`;
}

/**
 * `vigil responses`: the active-response commands the responder sent (KV bucket HIDS_RESPONSES): what is blocked
 * where, since when, until when and why. Whether each ran is in the alerts 201300-201304 (`vigil alerts`).
 */
export async function responsesCommand(config: VigilConfig, logger: Logger, options: ResponsesOptions, print: (line: string) => void, now = new Date()): Promise<number> {
  const bus = await connectBus(config.nats, logger, 'vigil-responses');
  try {
    const kv = await openRecordsOnBus(bus);
    const records = selectResponses(await readResponseRecords(kv, options.agent), options, now);
    if (options.json) {
      for (const r of records) print(JSON.stringify({ ...r, active: isActive(r, now) }));
    } else if (records.length === 0) {
      print(options.active ? 'no active response in force' : 'no active response was sent');
    } else {
      for (const r of records) print(formatResponse(r, now));
    }
    return 0;
  } finally {
    await bus.nc.close();
  }
}
