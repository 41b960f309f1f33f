import type { Alert } from '@vigil/common';
import { alertKind, complianceTags, fimDetails, genericDetails, mitreSummary, scaDetails, scaSummaryDetails, type Detail } from './alert-details.ts';
import { codeBlock, escapeMrkdwn, truncate } from './mrkdwn.ts';
import { renderTemplate } from './message-template.ts';
import { TALLIED_FIELDS, tallyOf } from './fold-tally.ts';
import type { Notice } from './notice.ts';

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
/** The Block Kit blocks Vigil uses (a subset of Slack's KnownBlock). */
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: MrkdwnText }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: MrkdwnText[] };

export interface SlackPayload {
  /** Shown in notifications and where blocks cannot be. */
  text: string;
  attachments: Array<{ color: string; blocks: SlackBlock[] }>;
}

export interface PayloadOptions {
  /** Base URL of a dashboard: the message links to `<dashboardUrl>/alerts/<id>`. */
  dashboardUrl?: string | undefined;
  /** Message text with `{{dotted.path}}` placeholders: replaces the summary line and opens the message. */
  template?: string | undefined;
}

/** Colour by level: the higher, the hotter. */
export function levelColor(level: number): string {
  if (level >= 12) return '#d50000';
  if (level >= 7) return '#ff9100';
  return '#2979ff';
}

/** Most groups of folded alerts listed by name in one message; the rest are counted. */
export const MAX_LISTED_GROUPS = 10;

const mrkdwn = (text: string): MrkdwnText => ({ type: 'mrkdwn', text });
const field = (d: Detail): MrkdwnText => mrkdwn(`*${escapeMrkdwn(d.label)}*\n${escapeMrkdwn(truncate(d.value, 1900))}`);
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(truncate(text, 3000)) });

function agentLabel(alert: Alert): string {
  return `${alert.agent.name} (${alert.agent.id})${alert.agent.ip ? ` ${alert.agent.ip}` : ''}`;
}

function kindBlocks(alert: Alert): { details: Detail[]; extra: SlackBlock[]; showLog: boolean } {
  switch (alertKind(alert)) {
    case 'fim': {
      const { details, changes } = fimDetails(alert);
      const extra = changes.length > 0 ? [section(`*Changes*\n${changes.map((c) => `• ${escapeMrkdwn(c)}`).join('\n')}`)] : [];
      return { details, extra, showLog: changes.length === 0 };
    }
    case 'sca': {
      const { details, remediation, rationale } = scaDetails(alert);
      const extra: SlackBlock[] = [];
      if (rationale) extra.push(section(`*Rationale*\n${escapeMrkdwn(truncate(rationale, 1000))}`));
      if (remediation) extra.push(section(`*Remediation*\n${escapeMrkdwn(truncate(remediation, 1000))}`));
      return { details, extra, showLog: false };
    }
    case 'sca-summary': {
      const { details, failing } = scaSummaryDetails(alert);
      const extra = failing.length > 0 ? [section(`*Failing checks*\n${failing.map((c) => `• ${escapeMrkdwn(c)}`).join('\n')}`)] : [];
      return { details, extra, showLog: false };
    }
    case 'generic':
      return { details: genericDetails(alert), extra: [], showLog: true };
  }
}

function taxonomyLine(alert: Alert): string | undefined {
  const parts: string[] = [];
  const mitre = mitreSummary(alert);
  if (mitre) parts.push(`*MITRE ATT&amp;CK* ${escapeMrkdwn(mitre.techniques.join(', '))}${mitre.tactics.length ? ` (${escapeMrkdwn(mitre.tactics.join(', '))})` : ''}`);
  for (const { standard, tags } of complianceTags(alert)) parts.push(`*${escapeMrkdwn(standard)}* ${escapeMrkdwn(tags.join(', '))}`);
  return parts.length > 0 ? truncate(parts.join(' · '), 3000) : undefined;
}

function foldingText(notice: Notice): string | undefined {
  const lines: string[] = [];
  const { lead } = notice;
  if (notice.windowFold) {
    lines.push(
      `:repeat: Rule ${escapeMrkdwn(lead.rule.id)} fired *${notice.repeats}* more time${notice.repeats === 1 ? '' : 's'} on ` +
        `${escapeMrkdwn(lead.agent.name)} from ${escapeMrkdwn(notice.firstTimestamp)} to ${escapeMrkdwn(notice.lastTimestamp)} (the latest is shown).`,
    );
  }
  if (notice.foldedCount > 0) {
    lines.push(`:hourglass: *${notice.foldedCount}* more alert${notice.foldedCount === 1 ? ' was' : 's were'} folded into this message by the rate limit:`);
    for (const g of notice.folded.slice(0, MAX_LISTED_GROUPS)) {
      lines.push(`• ×${g.count} rule ${escapeMrkdwn(g.ruleId)} (level ${g.level}) on ${escapeMrkdwn(g.agentName)}: ${escapeMrkdwn(truncate(g.description, 120))}`);
    }
    const rest = notice.folded.length - MAX_LISTED_GROUPS;
    if (rest > 0) lines.push(`• and ${rest} more agent${rest === 1 ? '' : 's'}`);
  }
  if (lines.length > 0) lines.push(...breakdownLines(notice));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Most values of one field listed in a folded message; the rest are counted. */
export const MAX_LISTED_VALUES = 10;

/** What a folded message stands for: each source IP and user with its count, the first and last time. */
function breakdownLines(notice: Notice): string[] {
  const lines: string[] = [];
  for (const [field, label] of TALLIED_FIELDS) {
    const values = Object.entries(notice.tally[field] ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (values.length === 0) continue;
    const listed = values.slice(0, MAX_LISTED_VALUES).map(([v, n]) => `${escapeMrkdwn(v)} ×${n}`);
    const rest = values.length - MAX_LISTED_VALUES;
    lines.push(`*${label}*: ${listed.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`);
  }
  lines.push(`*First* ${escapeMrkdwn(notice.span.first)} · *Last* ${escapeMrkdwn(notice.span.last)}`);
  return lines;
}

/** The one-line summary used as the notification text. */
export function summaryLine(notice: Notice): string {
  const { lead } = notice;
  const count = notice.windowFold ? ` ×${notice.repeats}` : '';
  const more = notice.foldedCount > 0 ? ` (+${notice.foldedCount} more)` : '';
  return truncate(`[level ${lead.rule.level}] rule ${lead.rule.id} on ${lead.agent.name}${count}: ${lead.rule.description}${more}`, 300);
}

/** Builds the Slack message for a notice (pure: no I/O). */
export function toSlackPayload(notice: Notice, options: PayloadOptions = {}): SlackPayload {
  const alert = notice.lead;
  const { details, extra, showLog } = kindBlocks(alert);
  const fields = [
    { label: 'Rule', value: alert.rule.id },
    { label: 'Agent', value: agentLabel(alert) },
    { label: 'Location', value: alert.location },
    ...details,
  ]
    .slice(0, 10)
    .map(field);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Level ${alert.rule.level} · ${alert.rule.description}`, 150), emoji: true } },
    ...(options.template ? [section(renderTemplate(options.template, alert, escapeMrkdwn))] : []),
    { type: 'section', fields },
    ...extra,
  ];
  if (showLog && alert.full_log) blocks.push(section(codeBlock(alert.full_log)));
  const taxonomy = taxonomyLine(alert);
  if (taxonomy) blocks.push({ type: 'context', elements: [mrkdwn(taxonomy)] });
  const folding = foldingText(notice);
  if (folding) blocks.push(section(folding));
  const context = [`alert ${escapeMrkdwn(alert.id)}`, escapeMrkdwn(alert.timestamp)];
  if (options.dashboardUrl) context.push(`<${options.dashboardUrl.replace(/\/$/, '')}/alerts/${encodeURIComponent(alert.id)}|Open in dashboard>`);
  blocks.push({ type: 'context', elements: [mrkdwn(context.join(' · '))] });
  const text = options.template ? truncate(renderTemplate(options.template, alert, escapeMrkdwn), 300) : summaryLine(notice);
  return { text, attachments: [{ color: levelColor(alert.rule.level), blocks }] };
}

/** A notice for one alert alone (no fold, nothing folded in). */
export function singleNotice(alert: Alert): Notice {
  return {
    lead: alert,
    repeats: 1,
    windowFold: false,
    firstTimestamp: alert.timestamp,
    lastTimestamp: alert.timestamp,
    folded: [],
    foldedCount: 0,
    alertIds: [alert.id],
    tally: tallyOf(alert),
    span: { first: alert.timestamp, last: alert.timestamp },
  };
}
