import type { Alert } from '@vigil/common';
import { parseAlertTime } from './alert-row.ts';

/** What a file-integrity alert says about one path: the state after the change and what changed. */
export interface FimChange {
  agentId: string;
  path: string;
  /** `added`, `modified` or `deleted`. */
  event: string;
  epochMs: number;
  alertId: string;
  /** The attributes after the change (`size`, `perm`, `md5`, ...: the `*_after` fields without the suffix). */
  state: Record<string, unknown>;
  /** The attributes before the change, where the alert has them. */
  before: Record<string, unknown>;
  changedAttributes: string[];
}

/** Reads the `syscheck` object of a FIM alert; undefined for any other alert. */
export function fimChangeOf(alert: Alert): FimChange | undefined {
  const sc = alert.syscheck;
  if (!sc || typeof sc['path'] !== 'string' || sc['path'] === '') return undefined;
  const state: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sc)) {
    if (key.endsWith('_after')) state[key.slice(0, -'_after'.length)] = value;
    else if (key.endsWith('_before')) before[key.slice(0, -'_before'.length)] = value;
  }
  for (const key of ['mode', 'hard_links', 'symbolic_path', 'arch', 'value_name', 'value_type', 'tags']) {
    if (sc[key] !== undefined) state[key] = sc[key];
  }
  const changed = Array.isArray(sc['changed_attributes']) ? (sc['changed_attributes'] as unknown[]).map(String) : [];
  return {
    agentId: alert.agent.id,
    path: sc['path'],
    event: typeof sc['event'] === 'string' ? sc['event'] : 'modified',
    epochMs: parseAlertTime(alert.timestamp),
    alertId: alert.id,
    state,
    before,
    changedAttributes: changed,
  };
}
