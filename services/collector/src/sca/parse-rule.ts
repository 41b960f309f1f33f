import type { ContentPattern, Minterm, ScaRule } from './policy-types.ts';

/**
 * Parses one SCA rule string the way Wazuh's agent reads it:
 *
 *   [not ]f:<file>[,<file>...][ -> <pattern>]
 *   [not ]d:<dir>[,<dir>...][ -> <file name: r:regex or OS_Match>[ -> <pattern>]]
 *   [not ]c:<command>[ -> <pattern>]
 *   [not ]p:<process pattern>
 *   [not ]r:<registry key>[ -> <value>[ -> <pattern>]]      (Windows: parsed, not applicable elsewhere)
 *
 * A pattern is minterms joined by ` && `, each `r:<OS_Regex>`, `n:<OS_Regex with a group> compare <op> <n>` or a
 * literal line, optionally negated with `!`. `not ` (or `NOT `) inverts the whole rule. Variables are
 * substituted into the location part only, as Wazuh does.
 */

const ARROW = ' -> ';

export class RuleSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleSyntaxError';
  }
}

function splitArrow(value: string): [string, string | undefined] {
  const at = value.indexOf(ARROW);
  if (at < 0) return [value, undefined];
  return [value.slice(0, at), value.slice(at + ARROW.length)];
}

export function parsePattern(source: string): ContentPattern {
  const minterms: Minterm[] = [];
  for (const raw of source.split(' && ')) {
    if (raw === '') continue;
    const negated = raw.startsWith('!');
    const term = negated ? raw.slice(1) : raw;
    const prefix = term.slice(0, 2).toLowerCase();
    if (prefix === 'r:') minterms.push({ kind: 'regex', negated, source: term.slice(2) });
    else if (prefix === 'n:') minterms.push({ kind: 'numeric', negated, source: term.slice(2) });
    else minterms.push({ kind: 'literal', negated, source: term });
  }
  return { source, minterms };
}

export function substituteVariables(text: string, variables: Record<string, string>): string {
  let out = text;
  const names = Object.keys(variables).sort((a, b) => b.length - a.length);
  for (const name of names) if (out.includes(name)) out = out.split(name).join(variables[name] ?? '');
  return out;
}

export function parseRule(text: string, variables: Record<string, string> = {}): ScaRule {
  if (typeof text !== 'string' || text.trim() === '') throw new RuleSyntaxError('empty rule');
  const negated = text.startsWith('not ') || text.startsWith('NOT ');
  const body = negated ? text.slice(4) : text;
  const colon = body.indexOf(':');
  if (colon < 0) throw new RuleSyntaxError(`rule '${text}' has no type (expected f:, d:, c:, p: or r:)`);
  let type = body.slice(0, colon);
  if (type.startsWith('!')) type = type.slice(1); // Wazuh drops a '!' before the type and ignores it
  const value = body.slice(colon + 1);
  const base = { text, negated };
  switch (type) {
    case 'f': {
      const [location, pattern] = splitArrow(value);
      return { ...base, type: 'file', location: substituteVariables(location, variables), ...(pattern !== undefined ? { pattern: parsePattern(pattern) } : {}) };
    }
    case 'd': {
      const [location, rest] = splitArrow(value);
      const [fileFilter, pattern] = rest === undefined ? [undefined, undefined] : splitArrow(rest);
      return {
        ...base,
        type: 'directory',
        location: substituteVariables(location, variables),
        ...(fileFilter !== undefined ? { fileFilter } : {}),
        ...(pattern !== undefined ? { pattern: parsePattern(pattern) } : {}),
      };
    }
    case 'c': {
      const [command, pattern] = splitArrow(value);
      return { ...base, type: 'command', command: substituteVariables(command, variables), ...(pattern !== undefined ? { pattern: parsePattern(pattern) } : {}) };
    }
    case 'p':
      return { ...base, type: 'process', pattern: parsePattern(value) };
    case 'r':
      return { ...base, type: 'registry', key: value };
    default:
      throw new RuleSyntaxError(`rule '${text}' has an unknown type '${type}:' (expected f:, d:, c:, p: or r:)`);
  }
}
