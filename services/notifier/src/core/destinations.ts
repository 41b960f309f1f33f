import { ConfigError, DURABLES } from '@vigil/common';
import type { NotifierConfig, RateLimit, RouteFilter } from '../config.ts';
import { templateProblem } from './message-template.ts';

/** A destination with everything resolved: its secret URL, its filter and its noise settings. */
export interface ResolvedDestination {
  name: string;
  /** Secret: never log it, never put it in an error message. */
  webhookUrl: string;
  durable: string;
  filter: RouteFilter;
  foldWindowMs: number;
  rateLimit: RateLimit;
  /** Message text with `{{dotted.path}}` placeholders (checked), or undefined for the built-in text. */
  template?: string | undefined;
  /** Present for a generic JSON webhook (`type: webhook`) instead of Slack; `secret` signs the body. Secret. */
  webhook?: { secret?: string };
}

const withTemplate = (template: string | undefined) => (template !== undefined ? { template } : {});

function checkedTemplate(template: string | undefined, key: string): string | undefined {
  if (template === undefined) return undefined;
  const problem = templateProblem(template);
  if (problem) throw new ConfigError(`${key}: ${problem}`);
  return template;
}

/** The destination built from `slack.webhookUrl` (or SLACK_WEBHOOK_URL). */
export const DEFAULT_DESTINATION = 'default';

/** Durable consumer name of a destination. The simple case keeps the skeleton's durable `notifier`. */
export function durableFor(name: string): string {
  return name === DEFAULT_DESTINATION ? DURABLES.notifier : `${DURABLES.notifier}-${name}`;
}

/**
 * Turns the notifier configuration into the list of destinations to run. `env` is where `webhookUrlEnv` is
 * looked up. Throws ConfigError naming the destination (never its URL) when one cannot be resolved.
 */
export function resolveDestinations(config: NotifierConfig, env: Readonly<Record<string, string | undefined>>): ResolvedDestination[] {
  const noise = config.noise;
  const out: ResolvedDestination[] = [];
  const sharedTemplate = checkedTemplate(config.slack.template, 'notifier.slack.template');
  if (config.slack.webhookUrl) {
    out.push({
      name: DEFAULT_DESTINATION,
      webhookUrl: config.slack.webhookUrl,
      durable: durableFor(DEFAULT_DESTINATION),
      filter: { minLevel: config.slack.minLevel },
      foldWindowMs: noise.foldWindowSeconds * 1000,
      rateLimit: { ...noise.rateLimit },
      ...withTemplate(sharedTemplate),
    });
  }
  for (const [index, d] of config.destinations.entries()) {
    const where = `notifier.destinations.${index} (${d.name})`;
    if (out.some((o) => o.name === d.name)) {
      throw new ConfigError(`${where}: the name '${d.name}' is used twice${d.name === DEFAULT_DESTINATION ? ' (it is reserved for slack.webhookUrl)' : ''}`);
    }
    if (d.webhookUrl !== undefined && d.webhookUrlEnv !== undefined) {
      throw new ConfigError(`${where}: set webhookUrl or webhookUrlEnv, not both`);
    }
    const url = d.webhookUrl ?? (d.webhookUrlEnv !== undefined ? env[d.webhookUrlEnv] : undefined);
    if (!url) {
      throw new ConfigError(
        d.webhookUrlEnv !== undefined
          ? `${where}: the environment variable ${d.webhookUrlEnv} (webhookUrlEnv) is not set`
          : `${where}: webhookUrl or webhookUrlEnv is required`,
      );
    }
    if (d.secretEnv !== undefined && d.type !== 'webhook') throw new ConfigError(`${where}: secretEnv is for type: webhook`);
    const secret = d.secretEnv !== undefined ? env[d.secretEnv] : undefined;
    if (d.secretEnv !== undefined && !secret) throw new ConfigError(`${where}: the environment variable ${d.secretEnv} (secretEnv) is not set`);
    if (!/^https?:\/\//.test(url)) throw new ConfigError(`${where}: the webhook URL must start with https:// (or http:// for a local test server)`);
    out.push({
      name: d.name,
      webhookUrl: url,
      durable: durableFor(d.name),
      filter: d.filter,
      foldWindowMs: (d.foldWindowSeconds ?? noise.foldWindowSeconds) * 1000,
      rateLimit: d.rateLimit ?? { ...noise.rateLimit },
      ...withTemplate(checkedTemplate(d.template, `notifier.destinations.${index}.template`) ?? sharedTemplate),
      ...(d.type === 'webhook' ? { webhook: secret ? { secret } : {} } : {}),
    });
  }
  return out;
}

/** The configuration as it may be printed or logged: every webhook URL replaced. */
export function redactNotifierConfig(config: NotifierConfig): NotifierConfig {
  const hide = (url: string | undefined) => (url ? '[redacted]' : undefined);
  return {
    ...config,
    slack: { ...config.slack, webhookUrl: hide(config.slack.webhookUrl) },
    destinations: config.destinations.map((d) => ({ ...d, webhookUrl: hide(d.webhookUrl) })),
  };
}
