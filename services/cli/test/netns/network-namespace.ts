import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Two network namespaces joined by a veth pair, made by a test (root only): `target` (where the collector's
 * firewall commands run, through `ip netns exec`) at `targetIp`, and `attacker` at `attackerIp`. Nothing leaves them.
 */
export interface NamespacePair {
  target: string;
  attacker: string;
  targetIp: string;
  attackerIp: string;
  /** Whether a TCP connection from the attacker namespace to the target's probe port is accepted (1.5 s bound). */
  probe(): boolean;
  dispose(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Why namespace tests cannot run here, or undefined. */
export function netnsSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces (ip netns add)';
  for (const tool of [['ip', '-V'], ['nft', '--version']]) {
    try {
      execFileSync(tool[0] as string, tool.slice(1), { stdio: 'ignore' });
    } catch {
      return `${tool[0]} is not installed (apt-get install -y iproute2 nftables iptables)`;
    }
  }
  return undefined;
}

export function makeNamespacePair(): NamespacePair & { server: ChildProcess } {
  const tag = randomBytes(3).toString('hex');
  const target = `vgt-${tag}`;
  const attacker = `vga-${tag}`;
  const octet = 1 + (parseInt(tag.slice(0, 2), 16) % 250);
  const targetIp = `10.251.${octet}.1`;
  const attackerIp = `10.251.${octet}.2`;
  ip('netns', 'add', target);
  ip('netns', 'add', attacker);
  ip('link', 'add', `vt${tag}`, 'type', 'veth', 'peer', 'name', `va${tag}`);
  ip('link', 'set', `vt${tag}`, 'netns', target);
  ip('link', 'set', `va${tag}`, 'netns', attacker);
  ip('-n', target, 'addr', 'add', `${targetIp}/24`, 'dev', `vt${tag}`);
  ip('-n', attacker, 'addr', 'add', `${attackerIp}/24`, 'dev', `va${tag}`);
  for (const [ns, dev] of [[target, `vt${tag}`], [attacker, `va${tag}`]] as const) {
    ip('-n', ns, 'link', 'set', dev, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  // A TCP listener in the target namespace: the probe's connection is accepted unless the firewall drops it.
  const server = spawn('ip', ['netns', 'exec', target, process.execPath, '-e', `require('net').createServer((s) => s.end()).listen(7070, '${targetIp}')`], { stdio: 'ignore' });
  const connect = `const s = require('net').connect(7070, '${targetIp}'); s.on('connect', () => process.exit(0)); s.on('error', () => process.exit(1)); setTimeout(() => process.exit(2), 1500);`;
  return {
    target,
    attacker,
    targetIp,
    attackerIp,
    server,
    probe() {
      try {
        execFileSync('ip', ['netns', 'exec', attacker, process.execPath, '-e', connect], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    },
    dispose() {
      server.kill('SIGKILL');
      for (const ns of [target, attacker]) {
        try {
          ip('netns', 'del', ns);
        } catch {
          // already gone
        }
      }
    },
  };
}
