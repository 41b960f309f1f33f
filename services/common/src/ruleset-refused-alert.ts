import type { Alert } from './schemas/alert.ts';

/** The rule of Vigil's own alert: a ruleset reload was refused (docs/ruleset.md, "Vigil's own alerts"). */
export const RULESET_REFUSED_RULE = { id: '209001', level: 10, groups: ['vigil', 'ruleset', 'reload_refused'] } as const;

export interface RulesetRefusal {
  service: string;
  replica: string;
  managerName: string;
  /** The hash of the ruleset that stays in service. */
  running: string;
  /** The hash of the refused content. */
  refused: string;
  errors: ReadonlyArray<{ file: string; line: number; message: string }>;
  now: Date;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function wazuhTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

/**
 * The alert that says a reload was refused, in the Wazuh alert shape, raised by the manager (agent 000) as Wazuh
 * raises its own: the errors as `file:line: message` in `full_log` and `data.errors`. Its message id
 * (`msgId`) depends only on the service and the refused content, so the replicas of a service that all refuse
 * the same files store one alert (JetStream's duplicate window).
 */
export function rulesetRefusedAlert(r: RulesetRefusal): { alert: Alert; msgId: string } {
  const errors = r.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
  const seconds = Math.floor(r.now.getTime() / 1000);
  let n = 0x811c9dc5;
  for (const c of `${r.service}:${r.refused}`) n = Math.imul(n ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const alert: Alert = {
    timestamp: wazuhTime(r.now),
    rule: {
      id: RULESET_REFUSED_RULE.id,
      level: RULESET_REFUSED_RULE.level,
      description: `Vigil: ${r.service} refused a ruleset reload (${errors.length} error(s)); the running ruleset stays.`,
      firedtimes: 1,
      mail: false,
      groups: [...RULESET_REFUSED_RULE.groups],
    },
    agent: { id: '000', name: r.managerName },
    manager: { name: r.managerName },
    id: `${seconds}.${n}`,
    full_log: `vigil-${r.service}: ruleset reload refused: ${errors.join('; ')}`,
    decoder: {},
    data: { service: r.service, replica: r.replica, running: r.running, refused: r.refused, errors },
    location: `vigil-${r.service}`,
    vigil: { ruleset: r.running },
  };
  return { alert, msgId: `ruleset-refused.${r.service}.${r.refused}` };
}
