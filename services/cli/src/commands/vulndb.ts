import type { Command } from 'commander';
import { updateVulnerabilityDatabase, VulnDatabase } from '@vigil/vulnerability-detector';
import type { VigilConfig } from '../config.ts';
import { EXIT_OK, EXIT_RUNTIME_ERROR } from '../exit-codes.ts';

export interface VulndbUpdateOptions {
  source?: string;
  ecosystem?: string[];
}

/**
 * `vigil vulndb update`: imports OSV records into the vulnerability database (dataDir's vulndb/osv.sqlite) in one
 * transaction, from vulnerabilityDetector.feedUrl or `--source` (a URL, or a local archive, JSON file or
 * directory for air-gapped hosts). Progress on stdout; each problem (a corrupt archive, a record failing the
 * schema) on stderr, naming its file and record; exit 1 if there was any, after importing the rest.
 */
export async function vulndbUpdateCommand(config: VigilConfig, options: VulndbUpdateOptions, print: (line: string) => void, printError: (text: string) => void): Promise<number> {
  const result = await updateVulnerabilityDatabase({
    config: config.vulnerabilityDetector,
    databasePath: config.vulnerabilityDetector.database,
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.ecosystem !== undefined && options.ecosystem.length > 0 ? { ecosystems: options.ecosystem } : {}),
    progress: print,
  });
  for (const [base, n] of result.imported) print(`${base}: ${n} records imported`);
  print(`vulnerability database generation ${result.generation}: ${config.vulnerabilityDetector.database}`);
  for (const p of result.problems) printError(`error: ${p.file}${p.record !== undefined ? ` record ${p.record}` : ''}: ${p.message}\n`);
  if (result.problems.length > 0) {
    printError(`${result.problems.length} problem(s); the records that could be read were imported\n`);
    return EXIT_RUNTIME_ERROR;
  }
  return EXIT_OK;
}

/** `vigil vulndb status`: each ecosystem's feed date and record count. */
export function vulndbStatusCommand(config: VigilConfig, print: (line: string) => void): number {
  const db = VulnDatabase.open(config.vulnerabilityDetector.database);
  try {
    const feeds = db.feeds();
    if (feeds.length === 0) print(`no vulnerability data yet in ${config.vulnerabilityDetector.database}: run vigil vulndb update`);
    for (const f of feeds) print(`${f.base}: ${f.records} records, feed of ${f.feedDate}, imported ${f.importedAt} from ${f.source}`);
    return EXIT_OK;
  } finally {
    db.close();
  }
}

/** Adds `vulndb update` and `vulndb status` under `parent`. */
export function addVulndbCommands(
  parent: Command,
  run: (handler: (options: Record<string, unknown>, cmd: Command) => Promise<number> | number) => (options: Record<string, unknown>, cmd: Command) => Promise<void>,
  config: (cmd: Command) => VigilConfig,
  io: { print(line: string): void; printError(text: string): void },
): void {
  const vulndb = parent.command('vulndb').description('the vulnerability database of the vulnerability detector (OSV records)');
  vulndb
    .command('update')
    .description('import OSV records from vulnerabilityDetector.feedUrl (<url>/<ecosystem>/all.zip) or --source, in one transaction')
    .option('--source <url|path>', 'a base URL, or a local .zip archive, .json file or directory of them (air-gapped)')
    .option('--ecosystem <name>', 'only this OSV ecosystem, e.g. Debian (repeatable; default: vulnerabilityDetector.ecosystems)', (v: string, prev: string[] = []) => [...prev, v])
    .action(run(async (options, cmd) => await vulndbUpdateCommand(config(cmd), options as VulndbUpdateOptions, io.print, io.printError)));
  vulndb
    .command('status')
    .description("each ecosystem's feed date and record count")
    .action(run((_options, cmd) => vulndbStatusCommand(config(cmd), io.print)));
}
