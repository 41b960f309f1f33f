import { CommanderError } from 'commander';

/**
 * A wrong command line: unknown command or option, missing or invalid option value. `command` is the words of the
 * command at fault ('vigil alerts'), so the message can point at its help. Exits with EXIT_USAGE_ERROR.
 */
export class UsageError extends Error {
  readonly command: string;

  constructor(command: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
    this.command = command;
  }

  /** What the user reads on stderr: the problem, then where to look. */
  render(): string {
    return `${this.command}: ${this.message}\nRun '${this.command} --help' for ${this.command === 'vigil' ? 'the commands and options' : 'its options'}.`;
  }
}

/**
 * Commander's message in Vigil's words: "error: unknown option '--levle'\n(Did you mean --level?)" becomes
 * "unknown option '--levle': did you mean --level?". Commander finds the nearest option or command itself.
 */
export function usageMessage(commanderMessage: string): string {
  return commanderMessage
    .replace(/^error: /, '')
    .replace(/^option '(-[^ ',]+)[^']*' argument '[^']*' is invalid\. /, '$1: ')
    .replace(/\s*\(Did you mean ((?:one of )?[^)]*)\?\)\s*$/, ': did you mean $1?')
    .trim();
}

/** The UsageError of a commander error raised by `command` (a parse failure), with commander's error as cause. */
export function usageErrorOf(command: string, err: CommanderError): UsageError {
  return new UsageError(command, usageMessage(err.message), { cause: err });
}
