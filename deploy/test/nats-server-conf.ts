import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { freePort, isListening } from '@vigil/common';
import { KUBERNETES_DIR } from './kustomize.ts';

/** The nats.conf each overlay deploys (the dev overlay has its own; production uses the base's). */
export const NATS_CONFS: Record<string, string> = {
  dev: join(KUBERNETES_DIR, 'overlays/dev/nats.conf'),
  production: join(KUBERNETES_DIR, 'base/nats/nats.conf'),
};

/** pipeline.partitions of an overlay (the five config files agree: service-config.test.ts checks it). */
export function overlayPartitions(overlay: string): number {
  const doc = loadYaml(readFileSync(join(KUBERNETES_DIR, 'overlays', overlay, 'config/rule-engine.yaml'), 'utf8')) as { pipeline: { partitions: number } };
  return doc.pipeline.partitions;
}

/** The users of a nats.conf with the environment variable that holds each one's password. */
export function natsUsers(conf: string): Array<{ user: string; passwordVar: string }> {
  return [...conf.matchAll(/\{\s*user:\s*([\w-]+),\s*password:\s*\$([A-Z_]+)/g)].map((m) => ({ user: m[1] as string, passwordVar: m[2] as string }));
}

/**
 * A deployed nats.conf made runnable on this host, everything else (users, permissions, JetStream limits) as
 * deployed: listen on loopback at `port`, no monitoring port, pid file and store under `dir`, and without the
 * cluster block (one server; JetStream then runs standalone as in the dev overlay).
 */
export function localNatsConf(conf: string, options: { port: number; dir: string }): string {
  const replace = (text: string, pattern: RegExp, by: string): string => {
    const matches = text.match(new RegExp(pattern.source, `${pattern.flags}g`))?.length ?? 0;
    if (matches !== 1) throw new Error(`nats.conf: expected exactly one match of ${pattern}, found ${matches}`);
    return text.replace(pattern, by);
  };
  let text = conf;
  text = replace(text, /^listen:.*$/m, `listen: 127.0.0.1:${options.port}`);
  text = replace(text, /^http:.*$/m, '');
  text = replace(text, /^pid_file:.*$/m, `pid_file: "${join(options.dir, 'nats.pid')}"`);
  text = replace(text, /^(\s*)store_dir:.*$/m, `$1store_dir: "${join(options.dir, 'jetstream')}"`);
  text = text.replace(/^cluster \{[\s\S]*?\n\}\n/m, '');
  return text;
}

export interface ConfiguredNats {
  url: string;
  /** Every line the server logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `nats-server -c <conf>` with `env` (the passwords and $POD_NAME); resolves once it accepts clients. */
export async function startConfiguredNats(binary: string, conf: string, dir: string, env: Record<string, string>): Promise<ConfiguredNats> {
  const port = await freePort();
  const file = join(dir, 'nats.conf');
  writeFileSync(file, localNatsConf(conf, { port, dir }));
  const child: ChildProcess = spawn(binary, ['-c', file], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (/Server is ready/.test(output) && (await isListening(port))) return { url: `nats://127.0.0.1:${port}`, log: () => output, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`nats-server did not start with ${file}:\n${output}`);
}
