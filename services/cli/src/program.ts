import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createLogger, type Logger } from '@vigil/common';
import { logtestRules } from '@vigil/rule-engine';
import { loadVigilConfig, resolveConfigFile, type VigilConfig } from './config.ts';
import { PROJECT_ROOT, resolveDataPaths } from './paths.ts';
import { SERVICE_NAMES, type ServiceName } from './services.ts';
import { EXIT_CODES_HELP, EXIT_OK, EXIT_USAGE_ERROR } from './exit-codes.ts';
import { UsageError, usageErrorOf } from './usage-error.ts';
import { startCommand } from './commands/start.ts';
import { alertsCommand, buildAlertQuery, type AlertsOptions } from './commands/alerts.ts';
import { dlqCommand } from './commands/dlq.ts';
import { ruletestCommand } from './commands/ruletest.ts';
import { statusCommand, type StatusOptions } from './commands/status.ts';
import { scaCommand, type ScaOptions } from './commands/sca.ts';
import { agentsCommand, type AgentsOptions } from './commands/agents.ts';
import { responsesCommand, type ResponsesOptions } from './commands/responses.ts';
import { logtestCommand } from './commands/logtest.ts';
import { redactedConfig } from './commands/check-config.ts';
import { apiCommand, runUntilSignal, serviceCommand } from './commands/serve.ts';
import { addVulndbCommands } from './commands/vulndb.ts';
import { vulnsCommand, type VulnsOptions } from './commands/vulns.ts';

/** Where a command's output goes; process.stdout/stderr in bin/vigil. */
export interface CliIo {
  print(line: string): void;
  printError(text: string): void;
}

const SERVICE_DESCRIPTIONS: Record<ServiceName, string> = {
  collector: 'the collector alone, against NATS_URL (one per host; a DaemonSet on Kubernetes)',
  decoder: 'the decoder alone',
  'rule-engine': 'the rule engine alone (VIGIL_REPLICA_INDEX / VIGIL_REPLICA_COUNT pick its partitions)',
  indexer: 'the indexer alone (SQLite; Elasticsearch/OpenSearch and the query API when configured)',
  notifier: 'the notifier alone (Slack)',
  'vulnerability-detector': 'the vulnerability detector alone (package inventories against the OSV database of vigil vulndb update)',
  responder: 'the responder alone: active-response commands from alerts (responder.responses; docs/active-response.md)',
};

const ENVIRONMENT_HELP = `Environment:
  NATS_URL, NATS_USER, NATS_PASSWORD, VIGIL_AGENT_NAME, VIGIL_AGENT_ID, SLACK_WEBHOOK_URL, VIGIL_DATA_DIR,
  VIGIL_LOG_LEVEL, VIGIL_REPLICA_INDEX, VIGIL_REPLICA_COUNT, ELASTICSEARCH_URL, ELASTICSEARCH_USERNAME,
  ELASTICSEARCH_PASSWORD, ELASTICSEARCH_API_KEY, VIGIL_API_TOKEN, VIGIL_DASHBOARD_PASSWORD.
  See config.example.yaml for every key and its default.`;

/** The version of Vigil: the root package.json's. */
export function vigilVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A help or version display: not an error, but the end of the command line's processing. */
class HelpShown extends Error {
  constructor(readonly exitCode: number) {
    super('help shown');
  }
}

function wholeNumber(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a whole number.`);
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "vigil alerts" for the alerts command, "vigil" for the program. */
function commandWords(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/**
 * Builds the command line of `vigil`: every command with its options and help. Parsing it runs the command;
 * runCli turns the outcome into an exit code.
 */
function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('vigil')
    .usage('<command> [options]')
    .description('Host intrusion detection on NATS JetStream, reading Wazuh-format rulesets.')
    .version(vigilVersion(), '-V, --version', 'print the version of Vigil')
    .option('-c, --config <file>', 'configuration file (default: $VIGIL_CONFIG, else ./vigil.yaml if present)')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'print the help of a command')
    .configureHelp({ showGlobalOptions: true, helpWidth: 116 })
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\n${ENVIRONMENT_HELP}`);

  const config = (cmd: Command): VigilConfig => {
    const { config: file } = cmd.optsWithGlobals<{ config?: string }>();
    return resolveDataPaths(loadVigilConfig(resolveConfigFile(file)));
  };
  const logger = (c: VigilConfig): Logger => createLogger({ level: c.logLevel });
  const run = (handler: (options: Record<string, unknown>, cmd: Command) => Promise<number> | number) => async (options: Record<string, unknown>, cmd: Command) => {
    result.code = await handler(options, cmd);
  };

  program
    .command('start')
    .description('the whole pipeline on this host (starts a local NATS unless NATS_URL is set)')
    .action(
      run(async (_options, cmd) => {
        const c = config(cmd);
        const log = logger(c);
        return await runUntilSignal(log, await startCommand(c, log, io.print));
      }),
    );

  for (const name of SERVICE_NAMES) {
    program
      .command(name)
      .description(SERVICE_DESCRIPTIONS[name])
      .action(
        run(async (_options, cmd) => {
          const c = config(cmd);
          return await serviceCommand(name, c, logger(c));
        }),
      );
  }

  program
    .command('api')
    .description("the indexer's HTTP query API alone, over the SQLite file (read-only)")
    .action(
      run(async (_options, cmd) => {
        const c = config(cmd);
        return await apiCommand(c, logger(c));
      }),
    );

  program
    .command('alerts')
    .description('query indexed alerts, newest first')
    .option('--level <n>', 'minimum rule level', wholeNumber)
    .option('--rule <id>', 'rule id')
    .option('--agent <id|name>', 'agent id or name')
    .option('--group <group>', 'rule group')
    .option('--compliance <std[:req]>', 'compliance standard, optionally a requirement (pci_dss, gdpr, hipaa, nist_800_53, tsc, gpg13, cis, mitre)')
    .option('--search <words>', 'full-text search of the log lines')
    .option('--since <when>', 'from this time: 10m, 2h, 7d or a date')
    .option('--until <when>', 'up to this time: 10m, 2h, 7d or a date')
    .option('--limit <n>', 'at most this many alerts (default: 50)', wholeNumber)
    .option('--offset <n>', 'skip this many alerts first', wholeNumber)
    .option('--json', 'one alert per line, as JSON')
    .option('--api <url>', "ask the indexer's query API at this URL instead of reading the SQLite file")
    .action(
      run(async (options, cmd) => {
        const opts = options as AlertsOptions;
        try {
          buildAlertQuery(opts); // pure: checks the option values (levels, times, compliance) before anything is opened
        } catch (err) {
          throw new UsageError(commandWords(cmd), err instanceof Error ? err.message : String(err), { cause: err });
        }
        const c = config(cmd);
        await alertsCommand(c, opts, io.print);
        return EXIT_OK;
      }),
    );

  program
    .command('agents')
    .description('the agents that announced themselves: version, OS, first seen, and which are silent')
    .option('--json', 'one agent per line, as JSON')
    .action(
      run(async (options, cmd) => {
        const c = config(cmd);
        return await agentsCommand(c, logger(c), options as AgentsOptions, io.print);
      }),
    );

  program
    .command('sca')
    .description('SCA results of an agent: policy, score and failing checks')
    .requiredOption('--agent <id|name>', 'the agent (its id or name)')
    .option('--policy <id>', 'only this policy')
    .option('--json', 'the whole report as JSON')
    .action(run((options, cmd) => scaCommand(config(cmd), options as ScaOptions, io.print)));

  program
    .command('dlq')
    .description('list dead letters with their reasons')
    .option('--json', 'one dead letter per line, as JSON')
    .option('--limit <n>', 'at most this many (default: 1000)', wholeNumber)
    .action(
      run(async (options, cmd) => {
        const c = config(cmd);
        await dlqCommand(c, logger(c), options as { json?: boolean; limit?: string }, io.print);
        return EXIT_OK;
      }),
    );

  program
    .command('status')
    .description("each store's disk use against its budget: the SQLite index, the streams, the spools")
    .option('--json', 'the stores as JSON')
    .action(
      run(async (options, cmd) => {
        const c = config(cmd);
        return await statusCommand(c, logger(c), options as StatusOptions, io.print);
      }),
    );

  program
    .command('responses')
    .description('active responses sent: what is blocked or locked where, since when, until when, and why')
    .option('--agent <id>', 'only the commands of this agent')
    .option('--active', 'only what is still in force (not reverted, not a dry run)')
    .option('--json', 'one object per line')
    .action(
      run(async (options, cmd) => {
        const c = config(cmd);
        return await responsesCommand(c, logger(c), options as ResponsesOptions, io.print);
      }),
    );

  program
    .command('logtest')
    .description('read log lines on stdin and print pre-decoding, decoding and rules like wazuh-logtest')
    .addOption(
      new Option('--ruleset <path>', 'a ruleset folder (repeatable)')
        .argParser(collect)
        .default([], "the configuration's decoder.rulesets and ruleEngine.rulesets (or ossecConf), as the pipeline runs them"),
    )
    .option('--json', 'one object per line; input lines may then be {"session","log","location"}')
    .option('--ossec-conf <file>', "an OSSEC or Wazuh manager's ossec.conf: its decoders, rules and lists, in its order (instead of --ruleset)")
    .addOption(new Option('--semantics <which>', "correlation semantics (default: the configuration's ruleEngine.semantics, else wazuh)").choices(['wazuh', 'ossec']))
    .option('-a, --alerts-only', 'print only the alerts, one alert JSON per line (as ossec-logtest -a)')
    .action(
      run(async (options, cmd) => {
        const { ruleset, json, ossecConf, semantics, alertsOnly } = options as { ruleset: string[]; json?: boolean; ossecConf?: string; semantics?: 'wazuh' | 'ossec'; alertsOnly?: boolean };
        const c = config(cmd);
        const own = ruleset.length > 0 || ossecConf !== undefined;
        const conf = ossecConf ?? (own ? undefined : c.ruleEngine.ossecConf);
        const more = { semantics: semantics ?? c.ruleEngine.semantics, alertsOnly: alertsOnly ?? false, ...(conf !== undefined ? { ossecConf: conf } : {}) };
        return await logtestCommand(
          { rulesets: own ? ruleset : c.decoder.rulesets, ...(own ? {} : { ruleRulesets: c.ruleEngine.rulesets }), json: json ?? false, rules: logtestRules, ...more },
          { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        );
      }),
    );

  program
    .command('ruletest')
    .argument('<dir...>', 'folders of .ini test files (or .ini files)')
    .description("run .ini test files (Wazuh's test-suite format) against a ruleset: one line per case, a diff for each failure")
    .addOption(new Option('--ruleset <path>', 'a ruleset folder (repeatable)').argParser(collect).default([], 'the built-in ruleset'))
    .option('--wazuh-runner', "run Wazuh's own suite as its runner does (its tests/ruleset loaded, logtest's ignore handling)")
    .action(async (dirs: string[], options: { ruleset: string[]; wazuhRunner?: boolean }) => {
      result.code = await ruletestCommand({ dirs, rulesets: options.ruleset, wazuhRunner: options.wazuhRunner ?? false }, { stdout: process.stdout, stderr: process.stderr });
    });

  addVulndbCommands(program, run, config, io);
  program
    .command('vulns')
    .description('vulnerable packages per agent and container image, as the vulnerability detector last saw them')
    .option('--agent <id|name>', 'only this agent')
    .option('--json', 'one finding per line, as JSON')
    .action(run((options, cmd) => vulnsCommand(config(cmd), options as VulnsOptions, io.print)));

  program
    .command('check-config')
    .description('validate the configuration and print it with defaults filled in')
    .action(
      run((_options, cmd) => {
        io.print(JSON.stringify(redactedConfig(config(cmd)), null, 2));
        return EXIT_OK;
      }),
    );

  // Every command (the ones above inherit the settings made before they were added) reports a wrong command
  // line as a UsageError naming itself, and help or version as HelpShown.
  for (const cmd of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    cmd.exitOverride((err: CommanderError) => {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') throw new HelpShown(EXIT_OK);
      // `vigil help [command]` exits 0; `vigil` without a command prints the help on stderr as a usage error.
      if (err.code === 'commander.help') throw new HelpShown(err.exitCode === 0 ? EXIT_OK : EXIT_USAGE_ERROR);
      throw usageErrorOf(commandWords(cmd), err);
    });
  }
  return program;
}

/**
 * Runs the command line `argv` (without node and the script) and returns the exit code: EXIT_OK, EXIT_USAGE_ERROR
 * after printing what is wrong with the command line, or the command's own code. A command that fails rejects
 * (bin/vigil prints the error and exits with EXIT_RUNTIME_ERROR); a long-running one never settles.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const result = { code: EXIT_OK };
  try {
    await buildProgram(io, result).parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof HelpShown) return err.exitCode;
    if (err instanceof UsageError) {
      io.printError(`${err.render()}\n`);
      return EXIT_USAGE_ERROR;
    }
    throw err;
  }
}
