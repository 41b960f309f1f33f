/** The exit codes of every `vigil` command, listed in `vigil --help` and README.md. */
export const EXIT_OK = 0;
/** The command ran and failed: the message on stderr says what (bad configuration, NATS unreachable, …). */
export const EXIT_RUNTIME_ERROR = 1;
/** The command line is wrong: unknown command or option, missing or invalid option value. Nothing ran. */
export const EXIT_USAGE_ERROR = 2;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  runtime error (the message says what failed: configuration, NATS, a database, …)
  2  usage error (unknown command or option, missing or invalid option value); nothing ran`;
