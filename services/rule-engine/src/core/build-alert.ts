import { hash53, type Alert, type DecodedEvent } from '@vigil/common';
import { toAlertData } from '@vigil/wazuh-format';
import { fieldValue, type RuleInput } from './rule-input.ts';
import type { CompiledRule } from './rule-types.ts';

export { splitGroups } from './rule-groups.ts';

/** Wazuh's shipped `email_alert_level`: rules at or above it have `rule.mail: true`. */
export const EMAIL_ALERT_LEVEL = 12;

/** `YYYY-MM-DDTHH:MM:SS.mmm+0000`, the Wazuh alert timestamp form (in UTC). */
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function wazuhTimestamp(iso: string): string {
  if (CANONICAL.test(iso)) return `${iso.slice(0, 23)}+0000`;
  return new Date(iso).toISOString().replace('Z', '+0000');
}

/**
 * Alert ids are `<epoch seconds>.<n>` like Wazuh's, with n derived from the event id and rule id, so the same
 * event always gives the same alert id (a redelivery is recognised downstream).
 */
export function alertId(event: DecodedEvent, ruleId: string): string {
  const seconds = Math.floor(Date.parse(event.collectedAt) / 1000);
  return `${seconds}.${hash53(`${event.id}\u0000${ruleId}`)}`;
}

const STATIC_DESCRIPTION_FIELDS = new Set(['dstuser', 'srcuser', 'srcip', 'dstip', 'srcgeoip', 'dstgeoip', 'srcport', 'dstport', 'protocol', 'action', 'id', 'url', 'data', 'status', 'extra_data', 'system_name']);

/** A description cut at its `$(field)` references: literal texts at even indexes, field names at odd ones. */
const templates = new Map<string, string[]>();

function templateOf(description: string): string[] {
  let parts = templates.get(description);
  if (parts === undefined) {
    parts = description.split(/\$\(([^)]*)\)/);
    // Descriptions come from the loaded rules: a few thousand at most, unless callers pass texts of their own.
    if (templates.size >= 65_536) templates.clear();
    templates.set(description, parts);
  }
  return parts;
}

function descriptionValue(name: string, input: RuleInput): string {
  if (STATIC_DESCRIPTION_FIELDS.has(name)) return input.fields[name] ?? '';
  if (name === 'program_name') return input.programName ?? '';
  if (name === 'hostname') return input.hostname ?? '';
  return fieldValue(input, name) ?? '';
}

/**
 * `$(field)` in a description: static, pre-decoded (`program_name`, `hostname`) or dynamic fields; unset → ''.
 * A result longer than 1,024 characters gives the description as written (Wazuh's buffer).
 */
export function substituteDescription(description: string, input: RuleInput): string {
  const parts = templateOf(description);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) out += descriptionValue(parts[i] as string, input) + (parts[i + 1] as string);
  return out.length > 1024 ? description : out;
}

export interface AlertContext {
  managerName: string;
  firedtimes: number;
  /** The rule object, when already built (alertRule). */
  ruleOutput?: Alert['rule'];
  previous?: string[] | undefined;
}

/** The rule object of an alert (also what logtest's rule phase shows). */
export function alertRule(rule: CompiledRule, input: RuleInput, firedtimes: number): Alert['rule'] {
  const out: Record<string, unknown> = {
    level: rule.level,
    description: rule.descriptionVars ? substituteDescription(rule.description, input) : rule.description,
    id: rule.id,
  };
  if (rule.mitre) out['mitre'] = rule.mitre;
  if (rule.cve !== undefined) out['cve'] = rule.cve;
  if (rule.info !== undefined) out['info'] = rule.info;
  if (rule.frequency !== undefined) out['frequency'] = rule.frequency;
  // Wazuh leaves firedtimes out with no_counter; Vigil's alert schema requires it, so it is always present.
  out['firedtimes'] = firedtimes;
  out['mail'] = (rule.level >= EMAIL_ALERT_LEVEL || rule.options.alertByEmail) && !rule.options.noEmailAlert;
  out['groups'] = rule.groups;
  for (const [key, values] of rule.compliance) out[key] = values;
  return out as Alert['rule'];
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** The alert of an event that matched a rule, in the Wazuh alert JSON shape and key order. */
export function buildAlert(rule: CompiledRule, input: RuleInput, ctx: AlertContext): Alert {
  const event = input.event;
  const agent: Alert['agent'] = { id: event.agent.id, name: event.agent.name };
  if (event.agent.ip) agent.ip = event.agent.ip;
  // Key order as Wazuh writes it: ... id, full_log, predecoder, decoder, data, location, previous_output.
  const ordered: Record<string, unknown> = {
    timestamp: wazuhTimestamp(event.collectedAt),
    rule: ctx.ruleOutput ?? alertRule(rule, input, ctx.firedtimes),
    agent,
    manager: { name: ctx.managerName },
    id: alertId(event, rule.id),
  };
  if (!rule.options.noFullLog) ordered['full_log'] = event.full_log;
  // File integrity events carry Wazuh's `syscheck` object as the collector built it; their decoded fields are
  // not repeated under `data` (Wazuh does not output dynamic fields for FIM).
  const syscheck = event.kind === 'fim' ? event.payload?.['syscheck'] : undefined;
  const isFim = syscheck !== null && typeof syscheck === 'object';
  if (isFim) ordered['syscheck'] = syscheck;
  if (hasKeys(event.predecoder)) ordered['predecoder'] = event.predecoder;
  const decoder = event.decoder;
  const decoderOut: Record<string, unknown> = {};
  if (decoder) {
    if (decoder.accumulate) decoderOut['accumulate'] = 1;
    if (decoder.parent !== undefined) decoderOut['parent'] = decoder.parent;
    decoderOut['name'] = decoder.name;
    if (decoder.ftscomment !== undefined) decoderOut['ftscomment'] = decoder.ftscomment;
  }
  ordered['decoder'] = decoderOut;
  if (!isFim) {
    const data = toAlertData(event.data as Record<string, string>);
    if (hasKeys(data)) ordered['data'] = data;
  }
  ordered['location'] = event.location;
  if (input.previousLog !== undefined) {
    // check_diff: the log this one differs from.
    ordered['previous_output'] = `Previous output:\n${input.previousLog}`;
    ordered['previous_log'] = input.previousLog;
  } else if (ctx.previous && ctx.previous.length >= 2) ordered['previous_output'] = ctx.previous.join('\n');
  return ordered as Alert;
}
