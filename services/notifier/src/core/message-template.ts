import type { Alert } from '@vigil/common';

/** A `{{ dotted.path }}` placeholder: letters, digits, `_` and `-` between dots. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;

/**
 * What is wrong with a template, or undefined when it is fine: every `{{` must open a placeholder on a dotted
 * path (`{{rule.description}}`, `{{agent.name}}`, `{{data.srcip}}`) closed by `}}`.
 */
export function templateProblem(template: string): string | undefined {
  const rest = template.replace(PLACEHOLDER, '');
  const stray = /\{\{[^}]*\}?\}?/.exec(rest) ?? /\}\}/.exec(rest);
  return stray ? `'${stray[0].slice(0, 40)}' is not a placeholder like {{rule.description}}` : undefined;
}

function lookup(alert: Alert, path: string): unknown {
  let value: unknown = alert;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(show).filter((v) => v !== '').join(', ');
  return '';
}

/**
 * Fills a template (checked by `templateProblem`) from an alert: each placeholder becomes the value at its path
 * (a list joined with commas), or nothing when the alert has no such field. `escape` is applied to each value.
 */
export function renderTemplate(template: string, alert: Alert, escape: (text: string) => string = (t) => t): string {
  return template.replace(PLACEHOLDER, (_, path: string) => escape(show(lookup(alert, path))));
}
