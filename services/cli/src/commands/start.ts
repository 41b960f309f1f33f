import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isListening, startNatsServer, VigilError, type LocalNatsServer, type Logger } from '@vigil/common';
import type { VigilConfig } from '../config.ts';
import { SERVICE_NAMES, startServices } from '../services.ts';
import { inspectNatsPidFile, natsPidFilePath, procCmdline, removeNatsPidFile, stopRecordedProcess, writeNatsPidFile } from '../nats-pid-file.ts';

function hostPort(url: string): { host: string; port: number } | undefined {
  const first = url.split(',')[0]?.trim() ?? '';
  const m = /^(?:nats|tls):\/\/(?:[^@/]*@)?([^:/]+):(\d+)\/?$/.exec(first) ?? /^([^:/]+):(\d+)$/.exec(first);
  return m ? { host: m[1] as string, port: Number(m[2]) } : undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * `vigil start`: the whole pipeline on this host. Uses the NATS server at nats.url when one answers there (or
 * NATS_URL is set); otherwise starts Debian's nats-server with JetStream on that loopback port, storing under
 * dataDir/nats. Then runs every service in this process and follows this host's logs plus a demo file.
 */
export async function startCommand(config: VigilConfig, logger: Logger, print: (line: string) => void): Promise<() => Promise<void>> {
  mkdirSync(config.dataDir, { recursive: true });
  const demoFile = join(config.dataDir, 'demo.log');
  if (!existsSync(demoFile)) writeFileSync(demoFile, '');
  const withDemo: VigilConfig = {
    ...config,
    collector: { ...config.collector, files: [...config.collector.files, { path: demoFile, startAt: 'end' }] },
  };

  const storeDir = join(config.dataDir, 'nats');
  const pidFile = natsPidFilePath(storeDir);
  await settlePreviousNatsServer(pidFile, print);

  let nats: LocalNatsServer | undefined;
  const target = hostPort(config.nats.url);
  const reachable = target ? await isListening(target.port, target.host) : true;
  if (!reachable && !process.env['NATS_URL'] && target && LOOPBACK.has(target.host)) {
    print(`starting nats-server with JetStream on ${target.host}:${target.port} (storage ${storeDir})`);
    const host = target.host === 'localhost' ? '127.0.0.1' : target.host;
    nats = await startNatsServer({ host, port: target.port, storeDir, log: print });
    recordNatsServer(pidFile, nats, host);
  } else {
    print(`using the NATS server at ${config.nats.url}`);
  }
  const stopNats = async () => {
    if (!nats) return;
    await nats.stop();
    removeNatsPidFile(pidFile);
  };

  let running: Awaited<ReturnType<typeof startServices>>;
  try {
    running = await startServices(SERVICE_NAMES, withDemo, logger);
  } catch (err) {
    await stopNats();
    throw err;
  }
  const info = Object.fromEntries(running.services.map((s) => [s.name, s.info ?? {}]));
  const collector = info['collector'] as { agent: { id: string; name: string }; paths: string[]; notes: string[] };
  const bin = process.env['VIGIL_BIN'] ?? './bin/vigil';
  print('');
  print('Vigil is running: collector, decoder, rule-engine, indexer and notifier.');
  print(`  agent          ${collector.agent.name} (id ${collector.agent.id})`);
  print(`  watching       ${collector.paths.join(', ')}`);
  for (const note of collector.notes) print(`  note           ${note}`);
  print(`  NATS           ${config.nats.url}  (alerts on subject ${running.bus.subjects.alertsAll()}, stream ${running.bus.streams.alerts})`);
  if (nats) print(`  nats-server    pid ${nats.pid}, started by this vigil start and stopped with it (pid file ${pidFile})`);
  print(`  alerts stored  ${config.indexer.sqlite.path} (SQLite)`);
  const indexer = info['indexer'] as { dashboard?: string };
  print(`  dashboard      ${indexer.dashboard ?? 'off (set indexer.api.enabled: true, or run vigil api)'}`);
  print(`  Slack          ${(info['notifier'] as { slack?: string }).slack ?? ''}${config.notifier.slack.webhookUrl || config.notifier.destinations.length > 0 ? '' : ' (set SLACK_WEBHOOK_URL to be paged)'}`);
  print('');
  print('Try it:');
  print(`  echo "$(date '+%b %e %H:%M:%S') $(hostname) sshd[4242]: Failed password for root from 203.0.113.7 port 52113 ssh2" >> ${demoFile}`);
  print(`  ${bin} alerts            # recent alerts (--level N, --rule ID, --agent A, --since 10m, --json)`);
  print(`  ${bin} dlq               # dead letters with their reasons`);
  print('Stop with Ctrl-C (drains, then exits).');
  return async () => {
    await running.stop();
    await stopNats();
  };
}

/**
 * Deals with the nats-server a previous `vigil start` on this data directory recorded in its pid file. If that
 * `vigil start` is gone (crashed, killed) but its nats-server still runs, the server is stopped, so that this start
 * starts a fresh one it owns (and stops on a clean stop); its JetStream data stays in the store directory. A pid
 * file naming no live nats-server of ours is removed. A nats-server still owned by a running `vigil start` is left
 * alone.
 */
async function settlePreviousNatsServer(pidFile: string, print: (line: string) => void): Promise<void> {
  const previous = inspectNatsPidFile(pidFile);
  switch (previous.kind) {
    case 'none':
      return;
    case 'stale':
      print(`removing the stale nats-server pid file ${pidFile} (${previous.reason})`);
      removeNatsPidFile(pidFile);
      return;
    case 'orphaned': {
      const { pid, host, port, owner } = previous.record;
      print(`found the nats-server (pid ${pid}, ${host}:${port}) left running by a vigil start that did not stop cleanly (pid ${owner.pid}): stopping it and starting a fresh one`);
      await stopRecordedProcess(previous.record);
      await portReleased(host, port);
      removeNatsPidFile(pidFile);
      return;
    }
    case 'owned':
      print(`note: the nats-server (pid ${previous.record.pid}) belongs to a running vigil start (pid ${previous.record.owner.pid}) on this data directory; leaving it to that one`);
      return;
  }
}

/** Resolves once nothing listens on host:port any more (the stopped server's socket is closed). */
async function portReleased(host: string, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await isListening(port, host)) {
    if (Date.now() > deadline) throw new VigilError('NATS_UNAVAILABLE', `${host}:${port} is still in use after stopping the nats-server left running there`, { details: { host, port } });
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Writes the pid file of the nats-server this `vigil start` started (only where /proc shows command lines). */
function recordNatsServer(pidFile: string, nats: LocalNatsServer, host: string): void {
  const pid = nats.pid;
  const cmdline = pid === undefined ? undefined : procCmdline(pid);
  if (pid === undefined || !cmdline) return;
  const owner = procCmdline(process.pid) ?? [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  writeNatsPidFile(pidFile, { pid, cmdline, host, port: nats.port, storeDir: nats.storeDir, owner: { pid: process.pid, cmdline: owner } });
}
