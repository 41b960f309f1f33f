import type { ArCommand } from '@vigil/common';
import { collectorNotice } from '../collector-notice.ts';
import type { EventDraft } from '../raw-event.ts';

/** What happened to a command: rules 201300-201304 (ruleset/rules/1200-vigil-active-response.xml). */
export type ArStatus = 'executed' | 'reverted' | 'refused' | 'failed' | 'dry_run';

/**
 * The report of a command as a collector notice, one line the vigil-collector-ar decoder splits:
 * `vigil-collector: active_response: '<id>': <status> <response> <command> srcip=<ip|-> user=<user|-> timeout=<s>: <reason>`.
 */
export function arNotice(status: ArStatus, command: Partial<ArCommand> & { id?: string }, reason: string, extra: Record<string, unknown> = {}): EventDraft {
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 500);
  const line = `${status} ${command.response ?? '-'} ${command.command ?? '-'} srcip=${command.srcip ?? '-'} user=${command.user ?? '-'} timeout=${command.timeoutSeconds ?? 0}: ${clean(reason)}`;
  return collectorNotice('active_response', command.id ?? '-', line, {
    status,
    command_id: command.id,
    response: command.response,
    command: command.command,
    srcip: command.srcip,
    user: command.user,
    timeout_seconds: command.timeoutSeconds,
    dry_run: command.dryRun,
    alert_id: command.alert?.id,
    rule_id: command.alert?.rule.id,
    ...extra,
  });
}
