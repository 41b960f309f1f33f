import { connectBus, validators, type DeadLetter, type Logger } from '@vigil/common';
import type { VigilConfig } from '../config.ts';

/** Reads every dead letter in the DLQ stream (oldest first) without consuming them. */
export async function readDeadLetters(config: VigilConfig, logger: Logger, limit = 1000): Promise<Array<DeadLetter & { seq: number }>> {
  const bus = await connectBus(config.nats, logger, 'vigil-dlq');
  try {
    const info = await bus.jsm.streams.info(bus.streams.dlq);
    if (info.state.messages === 0) return [];
    const consumer = await bus.js.consumers.get(bus.streams.dlq);
    const out: Array<DeadLetter & { seq: number }> = [];
    const wanted = Math.min(limit, info.state.messages);
    while (out.length < wanted) {
      const msg = await consumer.next({ expires: 2000 });
      if (!msg) break;
      const letter = validators.deadLetter.check(msg.json()) ? (msg.json() as DeadLetter) : undefined;
      if (letter) out.push({ ...letter, seq: msg.seq });
    }
    return out;
  } finally {
    await bus.nc.close();
  }
}

export async function dlqCommand(config: VigilConfig, logger: Logger, options: { json?: boolean | undefined; limit?: string | undefined }, print: (line: string) => void): Promise<void> {
  const letters = await readDeadLetters(config, logger, options.limit ? Number(options.limit) : 1000);
  if (options.json) {
    for (const l of letters) print(JSON.stringify(l));
    return;
  }
  if (letters.length === 0) {
    print('the dead-letter stream is empty');
    return;
  }
  for (const l of letters) {
    print(`#${l.seq} ${l.at} ${l.stage} ${l.code}: ${l.reason}`);
    print(`    subject ${l.subject}${l.streamSequence !== undefined ? ` (${l.stream} seq ${l.streamSequence})` : ''}`);
    print(`    data ${l.encoding === 'base64' ? '(base64) ' : ''}${l.data.length > 300 ? `${l.data.slice(0, 300)}…` : l.data}`);
  }
}
