import { partitionOf, type DecodedEvent, type RawEvent } from '@vigil/common';
import { decodeEvent, loadDecoderFiles } from '@vigil/decoder';
import type { CompiledRuleset } from '../src/core/rule-types.ts';

/** The builtin ruleset's brute-force rule: the frequency rule over failed passwords (200100) from one address. */
export function bruteForceRuleOf(ruleset: CompiledRuleset): string {
  for (const rule of ruleset.byId.values()) {
    const c = rule.correlation;
    if (c && c.sid === '200100' && c.same.includes('srcip') && c.needed > 1) return rule.id;
  }
  throw new Error('the builtin ruleset has no frequency rule over 200100 with same_source_ip');
}

/** The line of an sshd message in syslog form, at a given time (UTC). */
export function sshdLine(message: string, host: string, at: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${months[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, ' ')} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} ${host} sshd[4242]: ${message}`;
}

/** Decoded events of the builtin ruleset, from raw lines of one agent each, as the decoder would publish them. */
export function decodeLines(lines: ReadonlyArray<{ agent: string; line: string; at: Date; seq: number }>, partitions: number): DecodedEvent[] {
  const decoders = loadDecoderFiles(['builtin']).set;
  return lines.map(({ agent, line, at, seq }) => {
    const raw: RawEvent = { v: 1, id: `${agent}:${seq}`, seq, agent: { id: agent, name: `host-${agent}` }, kind: 'log', location: '/var/log/auth.log', collectedAt: at.toISOString(), log: line };
    const ev = decodeEvent(raw, { partitions, now: at, decoders });
    if (ev.partition !== partitionOf(agent, partitions)) throw new Error('partition mismatch');
    return ev;
  });
}

/**
 * A deterministic corpus of `size` events over `agents` agents: background sshd noise and failed logins from many
 * addresses, with brute-force bursts (one address, many failures) on some agents; timestamps advance 50 ms per event.
 */
export function bruteForceCorpus(size: number, agents: number, partitions: number, start = Date.UTC(2024, 0, 10, 12, 0, 0)): DecodedEvent[] {
  let seed = 42;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const seqs = new Map<string, number>();
  const lines: Array<{ agent: string; line: string; at: Date; seq: number }> = [];
  let i = 0;
  while (lines.length < size) {
    const agent = `agent-${Math.floor(rand() * agents)}`;
    const at = new Date(start + i * 50);
    const host = `host-${agent}`;
    const burst = rand() < 0.02;
    const count = burst ? 10 + Math.floor(rand() * 15) : 1;
    const ip = `198.51.100.${Math.floor(rand() * 20)}`;
    for (let k = 0; k < count && lines.length < size; k++, i++) {
      const when = new Date(start + i * 50);
      const r = rand();
      const message = burst
        ? `Failed password for ${rand() < 0.3 ? 'root' : `user${k}`} from ${ip} port ${40000 + k} ssh2`
        : r < 0.3
          ? `Failed password for user${Math.floor(rand() * 100)} from 203.0.113.${Math.floor(rand() * 250)} port 1 ssh2`
          : r < 0.5
            ? `Accepted publickey for alice from 192.0.2.${Math.floor(rand() * 250)} port 2 ssh2`
            : r < 0.7
              ? `Invalid user admin${Math.floor(rand() * 9)} from 203.0.113.${Math.floor(rand() * 250)} port 3`
              : `Connection closed by 192.0.2.${Math.floor(rand() * 250)} port 4 [preauth]`;
      const seq = seqs.get(agent) ?? 0;
      seqs.set(agent, seq + 1);
      lines.push({ agent, line: sshdLine(message, host, when), at: when, seq });
    }
    void at;
  }
  return decodeLines(lines, partitions);
}
