import { parseArgs } from 'node:util';
import { createLogger, natsReadiness, onShutdown, startHealthServer, VigilError, type Bus } from '@vigil/common';
import { redactNotifierConfig } from '@vigil/notifier';
import { startStandaloneQueryApi } from '@vigil/indexer';
import { loadVigilConfig, resolveConfigFile, type VigilConfig } from './config.ts';
import { resolveDataPaths } from './paths.ts';
import { SERVICE_NAMES, startServices, type ServiceName } from './services.ts';
import { startCommand } from './commands/start.ts';
import { alertsCommand } from './commands/alerts.ts';
import { dlqCommand } from './commands/dlq.ts';
import { scaCommand } from './commands/sca.ts';
import { agentsCommand } from './commands/agents.ts';
import { logtestCommand } from './commands/logtest.ts';
import { ruletestCommand } from './commands/ruletest.ts';
import { logtestRules } from '@vigil/rule-engine';

export const USAGE = `Usage: vigil <command> [options]

Commands:
  start                 the whole pipeline on this host (starts a local NATS unless NATS_URL is set)
  collector             the collector alone, against NATS_URL (one per host; a DaemonSet on Kubernetes)
  decoder               the decoder alone
  rule-engine           the rule engine alone (VIGIL_REPLICA_INDEX / VIGIL_REPLICA_COUNT pick its partitions)
  indexer               the indexer alone (SQLite; Elasticsearch/OpenSearch and the query API when configured)
  api                   the indexer's HTTP query API alone, over the SQLite file (read-only)
  notifier              the notifier alone (Slack)
  alerts                query indexed alerts: --level N (minimum), --rule ID, --agent ID|NAME, --group G,
                        --compliance STD[:REQ] (pci_dss, gdpr, hipaa, nist_800_53, tsc, gpg13, cis, mitre),
                        --search WORDS, --since/--until 10m|2h|7d|DATE, --limit N, --offset N, --json,
                        --api URL (ask the indexer's query API instead of reading the SQLite file)
  agents                the agents that announced themselves: version, OS, first seen, and which are silent (--json)
  sca                   SCA results of an agent: --agent ID|NAME (policy, score, failing checks), --policy ID, --json
  dlq                   list dead letters with their reasons (--json, --limit N)
  logtest               read log lines on stdin and print pre-decoding, decoding and rules like wazuh-logtest:
                        --ruleset PATH (repeatable; default the built-in ruleset), --json (one object per line;
                        input lines may be {"session","log","location"}); without --ruleset, the rulesets of the
                        configuration (decoder.rulesets, ruleEngine.rulesets), as the pipeline runs them
  ruletest DIR...       run the .ini test files of each DIR (Wazuh's test-suite format) against a ruleset:
                        --ruleset PATH (repeatable; default the built-in ruleset); --wazuh-runner runs Wazuh's own
                        suite as its runner does; one line per case, a diff for each failure, exit 1 if any fails
  check-config          validate the configuration and print it with defaults filled in

Options:
  -c, --config FILE     configuration file (default: $VIGIL_CONFIG, else ./vigil.yaml if present)
  -h, --help            this help

Environment: NATS_URL, NATS_USER, NATS_PASSWORD, VIGIL_AGENT_NAME, VIGIL_AGENT_ID, SLACK_WEBHOOK_URL, VIGIL_DATA_DIR,
VIGIL_LOG_LEVEL, VIGIL_REPLICA_INDEX, VIGIL_REPLICA_COUNT, ELASTICSEARCH_URL, ELASTICSEARCH_USERNAME,
ELASTICSEARCH_PASSWORD, ELASTICSEARCH_API_KEY, VIGIL_API_TOKEN.
See config.example.yaml for every key and its default.`;

const print = (line: string) => process.stdout.write(`${line}\n`);

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      level: { type: 'string' },
      rule: { type: 'string' },
      agent: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      ruleset: { type: 'string', multiple: true },
      until: { type: 'string' },
      group: { type: 'string' },
      compliance: { type: 'string' },
      search: { type: 'string' },
      offset: { type: 'string' },
      api: { type: 'string' },
      policy: { type: 'string' },
      'wazuh-runner': { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    print(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config: VigilConfig = resolveDataPaths(loadVigilConfig(resolveConfigFile(values.config)));
  const logger = createLogger({ level: config.logLevel });

  switch (command) {
    case 'start': {
      const stop = await startCommand(config, logger, print);
      onShutdown(logger, stop);
      return await new Promise<number>(() => {});
    }
    case 'alerts':
      await alertsCommand(config, values, print);
      return 0;
    case 'logtest':
      return await logtestCommand(
        { rulesets: values.ruleset ?? config.decoder.rulesets, ruleRulesets: values.ruleset ?? config.ruleEngine.rulesets, json: values.json ?? false, rules: logtestRules },
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      );
    case 'ruletest':
      return await ruletestCommand(
        { dirs: positionals.slice(1), rulesets: values.ruleset ?? [], wazuhRunner: values['wazuh-runner'] ?? false },
        { stdout: process.stdout, stderr: process.stderr },
      );
    case 'api': {
      const api = await startStandaloneQueryApi({ logger, config: config.indexer });
      logger.info(api.info, 'query API started');
      onShutdown(logger, api.stop);
      return await new Promise<number>(() => {});
    }
    case 'agents':
      return await agentsCommand(config, logger, values, print);
    case 'sca':
      return scaCommand(config, values, print);
    case 'dlq':
      await dlqCommand(config, logger, values, print);
      return 0;
    case 'check-config':
      print(
        JSON.stringify(
          {
            ...config,
            nats: { ...config.nats, password: config.nats.password ? '[redacted]' : undefined, token: config.nats.token ? '[redacted]' : undefined },
            notifier: redactNotifierConfig(config.notifier),
            indexer: {
              ...config.indexer,
              elasticsearch: {
                ...config.indexer.elasticsearch,
                password: config.indexer.elasticsearch.password ? '[redacted]' : undefined,
                apiKey: config.indexer.elasticsearch.apiKey ? '[redacted]' : undefined,
              },
              api: { ...config.indexer.api, token: config.indexer.api.token ? '[redacted]' : undefined },
            },
          },
          null,
          2,
        ),
      );
      return 0;
    default: {
      if (!(SERVICE_NAMES as readonly string[]).includes(command)) {
        process.stderr.write(`vigil: unknown command '${command}'\n\n${USAGE}\n`);
        return 2;
      }
      let bus: Bus | undefined;
      const health = config.health.enabled ? await startHealthServer(config.health, { ready: natsReadiness(() => bus?.nc) }, logger) : undefined;
      const running = await startServices([command as ServiceName], config, logger);
      bus = running.bus;
      logger.info({ service: command, ...(running.services[0]?.info ?? {}) }, 'started');
      onShutdown(logger, async () => {
        health?.markStopping();
        await running.stop();
        await health?.close();
      });
      return await new Promise<number>(() => {});
    }
  }
}

/** Exits once everything written to stdout and stderr has been handed to the reader (a pipe may be slow). */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  const message = err instanceof VigilError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`vigil: ${message}\n`);
  exitAfterFlush(1);
});
