/**
 * How a `c:` rule's command is run. Wazuh's agent splits it into words itself and runs it without a shell, so
 * policies that need one say so (`sh -c "..."`). We do the same, except that a command using shell syntax outside
 * quotes (a pipe, `&&`, a redirection, a glob, `$`...) runs through `/bin/sh -c`: it could not work otherwise.
 */

/** Characters that mean shell syntax when they appear outside quotes. */
const SHELL_SYNTAX = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[', '~', '\n']);

export interface CommandLine {
  /** The words to execute, or the command for `/bin/sh -c` when `shell` is true. */
  argv: string[];
  shell: boolean;
}

/** Splits a command line into words, with shell-like quoting; reports whether shell syntax was seen outside quotes. */
export function splitCommandLine(command: string): { words: string[]; shellSyntax: boolean; unterminated: boolean } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let shellSyntax = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1] as string)) word += command[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (SHELL_SYNTAX.has(c)) shellSyntax = true;
    word += c;
    inWord = true;
  }
  if (inWord) words.push(word);
  return { words, shellSyntax, unterminated: quote !== undefined };
}

/** Decides how to run a command: its own words when it can, `/bin/sh -c <command>` when it uses shell syntax. */
export function planCommand(command: string): CommandLine {
  const split = splitCommandLine(command);
  if (split.shellSyntax || split.unterminated) return { argv: ['/bin/sh', '-c', command], shell: true };
  return { argv: split.words, shell: false };
}
