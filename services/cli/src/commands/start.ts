import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isListening, startNatsServer, type LocalNatsServer, type Logger } from '@vigil/common';
import type { VigilConfig } from '../config.ts';
import { SERVICE_NAMES, startServices } from '../services.ts';

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

  let nats: LocalNatsServer | undefined;
  const target = hostPort(config.nats.url);
  const reachable = target ? await isListening(target.port, target.host) : true;
  if (!reachable && !process.env['NATS_URL'] && target && LOOPBACK.has(target.host)) {
    print(`starting nats-server with JetStream on ${target.host}:${target.port} (storage ${join(config.dataDir, 'nats')})`);
    nats = await startNatsServer({ host: target.host === 'localhost' ? '127.0.0.1' : target.host, port: target.port, storeDir: join(config.dataDir, 'nats'), log: print });
  } else {
    print(`using the NATS server at ${config.nats.url}`);
  }

  let running: Awaited<ReturnType<typeof startServices>>;
  try {
    running = await startServices(SERVICE_NAMES, withDemo, logger);
  } catch (err) {
    await nats?.stop();
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
  print(`  alerts stored  ${config.indexer.sqlite.path} (SQLite)`);
  print(`  Slack          ${(info['notifier'] as { slack?: string }).slack ?? ''}${config.notifier.slack.webhookUrl || config.notifier.destinations.length > 0 ? '' : ' (set SLACK_WEBHOOK_URL to be paged)'}`);
  print('');
  print('Try it:');
  print(`  echo "$(date '+%b %e %H:%M:%S') $(hostname) sshd[4242]: Failed password for root from 203.0.113.7 port 52113 ssh2" >> ${demoFile}`);
  print(`  ${bin} alerts            # recent alerts (--level N, --rule ID, --agent A, --since 10m, --json)`);
  print(`  ${bin} dlq               # dead letters with their reasons`);
  print('Stop with Ctrl-C (drains, then exits).');
  return async () => {
    await running.stop();
    await nats?.stop();
  };
}
