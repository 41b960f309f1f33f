import type { ContentPattern, Minterm, RegexType } from './policy-types.ts';
import { compileContentRegex } from './sca-patterns.ts';

/**
 * Tests one line (of a file, of a command's output, or a process name) against a content pattern, with Wazuh's
 * arithmetic: each minterm gives 1 (found), 0 (not found) or 2 (cannot be decided), a `!` flips the low bit,
 * and the line's result is the product. So `1` means found, `0` not found, `2` not applicable, and anything
 * else counts as not found but stops the scan of a file, as in wm_sca.c.
 */

export const NOT_FOUND = 0;
export const FOUND = 1;
export const INVALID = 2;

export interface LineVerdict {
  value: number;
  /** Set when a minterm could not be decided. */
  reason?: string;
}

/** C's strtol: optional blanks and sign, then digits; undefined when there are no digits. */
function strtol(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : undefined;
}

function compareNumbers(partial: string, value: number, type: RegexType): LineVerdict {
  const number = compileContentRegex('(\\d+)', type);
  const digits = number.ok ? number.exec(partial) : null;
  const given = digits?.captures[0] === undefined ? undefined : strtol(digits.captures[0]);
  if (given === undefined) return { value: INVALID, reason: `No integer was found within the comparison '${partial}'` };
  // Wazuh looks at the first character for '=', then searches for the others: '=<' and '=>' mean equality.
  let result: boolean;
  if (partial.startsWith('=')) result = value === given;
  else if (partial.includes('!=')) result = value !== given;
  else if (partial.includes('<=')) result = value <= given;
  else if (partial.includes('>=')) result = value >= given;
  else if (partial.includes('<')) result = value < given;
  else if (partial.includes('>')) result = value > given;
  else return { value: INVALID, reason: `Unrecognized operation: '${partial}'` };
  return { value: result ? FOUND : NOT_FOUND };
}

function numeric(source: string, line: string, type: RegexType): LineVerdict {
  const at = source.indexOf(' compare ');
  if (at < 0) return { value: INVALID, reason: `Keyword 'compare' not found in '${source}': write 'n:<regex with a group> compare <op> <number>'` };
  const regexSource = source.slice(0, at);
  const partial = source.slice(at + ' compare '.length);
  const c = compileContentRegex(regexSource, type);
  if (!c.ok) return { value: INVALID, reason: `Cannot compile regex '${regexSource}': ${c.message}` };
  const m = c.exec(line);
  if (!m) return { value: NOT_FOUND };
  const captured = m.captures[0];
  if (captured === undefined) return { value: INVALID, reason: `Regex '${regexSource}' matched, but no string was captured by it` };
  const value = strtol(captured);
  if (value === undefined) return { value: INVALID, reason: `Conversion error. Cannot convert '${captured}' to integer` };
  return compareNumbers(partial, value, type);
}

function positive(term: Minterm, line: string, type: RegexType): LineVerdict {
  switch (term.kind) {
    case 'regex': {
      const c = compileContentRegex(term.source, type);
      // A regex that does not compile never matches (Wazuh logs it and goes on).
      return { value: c.ok && c.exec(line) !== null ? FOUND : NOT_FOUND };
    }
    case 'numeric':
      return numeric(term.source, line, type);
    case 'literal':
      return { value: term.source.toLowerCase() === line.toLowerCase() ? FOUND : NOT_FOUND };
  }
}

export function matchLine(pattern: ContentPattern, line: string, type: RegexType): LineVerdict {
  let value = FOUND;
  let reason: string | undefined;
  for (const term of pattern.minterms) {
    const v = positive(term, line, type);
    if (v.reason !== undefined && reason === undefined) reason = v.reason;
    value *= term.negated ? v.value ^ 1 : v.value;
  }
  return reason === undefined ? { value } : { value, reason };
}

/** Splits text into lines as fgets + trimming of CR/LF would: no trailing empty line. */
export function toLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
