import { canonicalAddress, isAllowedAddress, isAllowedUser, type Alert, type AllowList, type ArCommand } from '@vigil/common';
import type { ResponseSpec } from '../config.ts';

/** Groups of Vigil's own active-response alerts: they never trigger a response (no loops). */
export const OWN_GROUP = 'active_response';

/** What the responder remembers between alerts (kept by the caller; `decideResponses` never changes it). */
export interface ResponderMemory {
  /** Previous actions per `<response>|<target>`: how many (repeated offenders). */
  readonly offenses: ReadonlyMap<string, number>;
  /** Times (ms) of the recent actions per agent (rate limit). */
  readonly recentActions: ReadonlyMap<string, readonly number[]>;
  /** Command ids already sent: a redelivered alert sends (and counts) nothing twice. */
  readonly sent: ReadonlySet<string>;
}

export function emptyMemory(): ResponderMemory {
  return { offenses: new Map(), recentActions: new Map(), sent: new Set() };
}

export type SkipReason =
  | 'allow-listed address'
  | 'allow-listed user'
  | 'no srcip in alert'
  | 'no user in alert'
  | 'invalid srcip'
  | 'rate limit'
  | 'already sent'
  | 'no agent to run on'
  | 'custom without script';

export interface Decision {
  commands: ArCommand[];
  /** Responses the alert triggered but that were not sent, and why (logged; not alerted, as they did nothing). */
  skipped: Array<{ response: string; agent?: string; reason: SkipReason }>;
}

export interface DecideContext {
  responses: readonly ResponseSpec[];
  allow: AllowList;
  memory: ResponderMemory;
  now: number;
  /** Every registered agent id (location `all`). */
  agents: readonly string[];
}

function triggers(spec: ResponseSpec, alert: Alert): boolean {
  if (alert.rule.groups.includes(OWN_GROUP)) return false;
  if (alert.rule.level < spec.minLevel) return false;
  if (spec.rules && spec.rules.length > 0 && !spec.rules.includes(alert.rule.id)) return false;
  if (spec.groups && spec.groups.length > 0 && !spec.groups.some((g) => alert.rule.groups.includes(g))) return false;
  if (spec.agents && spec.agents.length > 0 && !spec.agents.includes(alert.agent.id)) return false;
  return true;
}

function field(alert: Alert, name: string): string | undefined {
  const v = alert.data?.[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The timeout for the n-th action on a target (n from 1): the base, then repeatedOffenders minutes, the last one repeating. */
export function timeoutFor(spec: ResponseSpec, offense: number): number {
  if (offense <= 1 || spec.repeatedOffenders.length === 0) return spec.timeoutSeconds;
  const minutes = spec.repeatedOffenders[Math.min(offense - 2, spec.repeatedOffenders.length - 1)] as number;
  return minutes * 60;
}

function targetAgents(spec: ResponseSpec, alert: Alert, agents: readonly string[]): string[] {
  if (spec.location === 'agent') return spec.agent ? [spec.agent] : [];
  if (spec.location === 'all') return [...new Set(agents)].sort();
  return [alert.agent.id];
}

/** Which commands an alert triggers. Pure: the memory is read, never changed (apply the result with `remember`). */
export function decideResponses(alert: Alert, ctx: DecideContext): Decision {
  const commands: ArCommand[] = [];
  const skipped: Decision['skipped'] = [];
  // Actions decided for this alert count against the rate limit of the next ones.
  const taken = new Map<string, number>();
  const windowOf = (spec: ResponseSpec, agent: string) =>
    (ctx.memory.recentActions.get(agent) ?? []).filter((t) => t > ctx.now - spec.rateLimit.perSeconds * 1000).length + (taken.get(agent) ?? 0);
  for (const spec of ctx.responses) {
    if (!triggers(spec, alert)) continue;
    let target: { srcip?: string; user?: string };
    if (spec.command === 'firewall-drop' || spec.command === 'host-deny' || (spec.command === 'custom' && field(alert, 'srcip'))) {
      const raw = field(alert, 'srcip');
      if (!raw) {
        skipped.push({ response: spec.name, reason: 'no srcip in alert' });
        continue;
      }
      const srcip = canonicalAddress(raw);
      if (!srcip) {
        skipped.push({ response: spec.name, reason: 'invalid srcip' });
        continue;
      }
      if (isAllowedAddress(ctx.allow, srcip)) {
        skipped.push({ response: spec.name, reason: 'allow-listed address' });
        continue;
      }
      target = { srcip };
    } else {
      const user = field(alert, 'dstuser') ?? field(alert, 'srcuser') ?? field(alert, 'user');
      if (spec.command === 'disable-account' && !user) {
        skipped.push({ response: spec.name, reason: 'no user in alert' });
        continue;
      }
      if (user && isAllowedUser(ctx.allow, user)) {
        skipped.push({ response: spec.name, reason: 'allow-listed user' });
        continue;
      }
      target = user ? { user } : {};
    }
    if (spec.command === 'custom' && !spec.script) {
      skipped.push({ response: spec.name, reason: 'custom without script' });
      continue;
    }
    const agents = targetAgents(spec, alert, ctx.agents);
    if (agents.length === 0) skipped.push({ response: spec.name, reason: 'no agent to run on' });
    const offense = (ctx.memory.offenses.get(offenseKey(spec.name, target)) ?? 0) + 1;
    for (const agent of agents) {
      const id = `${alert.id}:${spec.name}:${agent}`;
      if (ctx.memory.sent.has(id)) {
        skipped.push({ response: spec.name, agent, reason: 'already sent' });
        continue;
      }
      if (windowOf(spec, agent) >= spec.rateLimit.actions) {
        skipped.push({ response: spec.name, agent, reason: 'rate limit' });
        continue;
      }
      taken.set(agent, (taken.get(agent) ?? 0) + 1);
      commands.push({
        id,
        version: 1,
        response: spec.name,
        command: spec.command,
        ...(spec.script ? { script: spec.script } : {}),
        agent,
        ...target,
        timeoutSeconds: timeoutFor(spec, offense),
        dryRun: spec.dryRun,
        offense,
        issuedAt: new Date(ctx.now).toISOString(),
        alert: {
          id: alert.id,
          rule: { id: alert.rule.id, level: alert.rule.level, description: alert.rule.description },
          agent: { id: alert.agent.id, name: alert.agent.name },
        },
      });
    }
  }
  return { commands, skipped };
}

export function offenseKey(response: string, target: { srcip?: string; user?: string }): string {
  return `${response}|${target.srcip ?? ''}|${target.user ?? ''}`;
}

/**
 * The memory after the commands were sent: offenses counted once per alert and target (not per agent), actions
 * recorded for the rate limit, windows older than `keepMs` dropped.
 */
export function remember(memory: ResponderMemory, commands: readonly ArCommand[], now: number, keepMs = 3_600_000): ResponderMemory {
  const offenses = new Map(memory.offenses);
  const recentActions = new Map<string, number[]>();
  for (const [agent, times] of memory.recentActions) {
    const kept = times.filter((t) => t > now - keepMs);
    if (kept.length > 0) recentActions.set(agent, kept);
  }
  const sent = new Set(memory.sent);
  const counted = new Set<string>();
  for (const c of commands) {
    sent.add(c.id);
    const key = offenseKey(c.response, c);
    if (!counted.has(key)) {
      counted.add(key);
      offenses.set(key, c.offense);
    }
    recentActions.set(c.agent, [...(recentActions.get(c.agent) ?? []), now]);
  }
  // Redeliveries come within the ack wait: the newest ids are enough (a Set keeps insertion order).
  for (const id of sent) {
    if (sent.size <= MAX_SENT_IDS) break;
    sent.delete(id);
  }
  return { offenses, recentActions, sent };
}

/** How many sent command ids the memory keeps. */
export const MAX_SENT_IDS = 100_000;
