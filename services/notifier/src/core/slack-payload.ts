import type { Alert } from '@vigil/common';

export interface SlackPayload {
  text: string;
  attachments: Array<{ color: string; blocks: unknown[] }>;
}

/** Colour by level: the higher, the hotter. */
export function levelColor(level: number): string {
  if (level >= 12) return '#d50000';
  if (level >= 7) return '#ff9100';
  return '#2979ff';
}

function field(label: string, value: unknown): { type: 'mrkdwn'; text: string } | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return { type: 'mrkdwn', text: `*${label}*\n${String(value)}` };
}

/** Builds the Slack message for an alert (pure: no I/O). */
export function toSlackPayload(alert: Alert, options: { dashboardUrl?: string | undefined } = {}): SlackPayload {
  const title = `Level ${alert.rule.level} · rule ${alert.rule.id}: ${alert.rule.description}`;
  const data = (alert.data ?? {}) as Record<string, unknown>;
  const fields = [
    field('Agent', `${alert.agent.name} (${alert.agent.id})`),
    field('Location', alert.location),
    field('Source IP', data['srcip']),
    field('User', data['dstuser'] ?? data['srcuser']),
    field('Groups', alert.rule.groups.join(', ')),
    field('MITRE', alert.rule.mitre?.id.join(', ')),
  ].filter((f) => f !== undefined);
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
    { type: 'section', fields },
  ];
  if (alert.full_log) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '```' + alert.full_log.slice(0, 2900) + '```' } });
  const context = [`alert ${alert.id}`, alert.timestamp];
  if (options.dashboardUrl) context.push(`<${options.dashboardUrl.replace(/\/$/, '')}/alerts/${encodeURIComponent(alert.id)}|open>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return { text: title, attachments: [{ color: levelColor(alert.rule.level), blocks }] };
}
