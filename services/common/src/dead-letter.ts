import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { DeadLetter } from './schemas/dead-letter.ts';
import type { Subjects } from './subjects.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DeadLetterInput {
  stage: string;
  code: string;
  reason: string;
  subject: string;
  data: Uint8Array;
  stream?: string;
  streamSequence?: number;
  deliveryCount?: number;
}

/** Builds the dead-letter record: the original bytes as text when they are UTF-8, base64 otherwise. */
export function toDeadLetter(input: DeadLetterInput, now: Date = new Date()): DeadLetter {
  let data: string;
  let encoding: 'utf8' | 'base64';
  try {
    data = utf8.decode(input.data);
    encoding = 'utf8';
  } catch {
    data = Buffer.from(input.data).toString('base64');
    encoding = 'base64';
  }
  return {
    stage: input.stage,
    code: input.code,
    reason: input.reason,
    subject: input.subject,
    ...(input.stream !== undefined ? { stream: input.stream } : {}),
    ...(input.streamSequence !== undefined ? { streamSequence: input.streamSequence } : {}),
    ...(input.deliveryCount !== undefined ? { deliveryCount: input.deliveryCount } : {}),
    at: now.toISOString(),
    data,
    encoding,
  };
}

/**
 * Publishes a dead letter and waits for JetStream to store it. The message id is derived from the source stream
 * position, so dead-lettering the same delivery twice stores it once.
 */
export async function publishDeadLetter(js: JetStreamClient, subjects: Subjects, input: DeadLetterInput): Promise<void> {
  const letter = toDeadLetter(input);
  const code = input.code.replace(/[^A-Za-z0-9_-]/g, '_');
  const msgID = input.stream !== undefined && input.streamSequence !== undefined
    ? `dlq:${input.stage}:${input.stream}:${input.streamSequence}`
    : undefined;
  await js.publish(subjects.dlq(input.stage, code), JSON.stringify(letter), msgID ? { msgID } : undefined);
}

/** Dead-letters a message a consumer received: its subject, bytes and stream position go with the reason. */
export async function deadLetterMessage(
  js: JetStreamClient,
  subjects: Subjects,
  msg: JsMsg,
  letter: { stage: string; code: string; reason: string },
): Promise<void> {
  await publishDeadLetter(js, subjects, {
    ...letter,
    subject: msg.subject,
    data: msg.data,
    stream: msg.info.stream,
    streamSequence: msg.seq,
    deliveryCount: msg.info.deliveryCount,
  });
}
