import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectBus, createLogger, loadConfig, NatsConfig, validators, type Bus, type DecodedEvent, type RunningConsumer } from '@vigil/common';
import { useTestNats, waitFor } from '@vigil/common/testing';
import { SSHD_DECODERS } from '@vigil/wazuh-format/testing';
import { startDecoderConsumer } from '../../src/adapters/decoder-consumer.ts';
import { loadDecoderFiles } from '../../src/adapters/decoder-files.ts';

let bus: Bus;
let consumer: RunningConsumer;
const logger = createLogger({ level: 'silent' });
const PARTITIONS = 4;

const nats = useTestNats({
  started: async (server) => {
    const config = loadConfig(NatsConfig, { document: { url: server.url, consumers: { ackWaitSeconds: 5, maxDeliver: 3, retryDelayMs: 50, batchSize: 50 } } });
    bus = await connectBus(config, logger, 'decoder-consumer-test');
    const { set } = loadDecoderFiles([SSHD_DECODERS]);
    consumer = await startDecoderConsumer({ bus, logger, partitions: PARTITIONS, decoders: set });
  },
  stopping: async () => {
    await consumer?.stop();
    await bus?.nc.close();
  },
});

const event = (seq: number, log: string | undefined) => ({
  v: 1,
  id: `edge-1:${seq}`,
  seq,
  agent: { id: 'edge-1', name: 'edge' },
  kind: 'log',
  location: '/var/log/auth.log',
  collectedAt: new Date().toISOString(),
  ...(log !== undefined ? { log } : {}),
});

async function decodedEvents(): Promise<DecodedEvent[]> {
  const out: DecodedEvent[] = [];
  const info = await bus.jsm.streams.info(bus.streams.decoded);
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await bus.jsm.streams.getMessage(bus.streams.decoded, { seq });
    if (m) out.push(validators.decodedEvent.parse(m.data));
  }
  return out;
}

test('the decoder service decodes with the loaded decoders and publishes to the agent partition; a 1 MB line and invalid UTF-8 never stop it', { skip: nats.skip }, async () => {
  const subject = bus.subjects.raw('edge-1', 'log');
  await bus.js.publish(subject, JSON.stringify(event(1, 'Dec 10 01:02:03 edge sshd[9]: Failed password for invalid user admin from 192.0.2.7 port 40022 ssh2')));
  // A line of about 1 MB (below the server's max_payload), decoded after being cut to 64 KiB.
  await bus.js.publish(subject, JSON.stringify(event(2, `Dec 10 01:02:03 edge sshd[9]: Accepted publickey for alice from 198.51.100.4 port 51000 ${'y'.repeat(1_000_000)}`)));
  // Invalid UTF-8 inside the JSON string: decoded with replacement characters.
  const bad = Buffer.concat([Buffer.from(JSON.stringify(event(3, 'Dec 10 01:02:03 edge sshd[9]: Invalid user XX from 192.0.2.9 port 1')).replace('XX', '"+"')), Buffer.alloc(0)]);
  const bytes = Buffer.from(bad.toString().replace('"+"', '\u0000'));
  bytes[bytes.indexOf(0)] = 0xff;
  await bus.js.publish(subject, bytes);
  // Not even JSON once invalid bytes break it: dead-lettered.
  await bus.js.publish(subject, new Uint8Array([0x7b, 0xff, 0xfe]));

  const decoded = await waitFor(async () => {
    const d = await decodedEvents();
    return d.length === 3 ? d : undefined;
  }, 20_000, '3 decoded events');
  await waitFor(async () => (await bus.jsm.streams.info(bus.streams.dlq)).state.messages === 1, 20_000, '1 dead letter');

  const [first, second, third] = decoded as [DecodedEvent, DecodedEvent, DecodedEvent];
  assert.deepEqual({ decoder: first.decoder, data: first.data }, {
    decoder: { name: 'sshd', parent: 'sshd', type: 'syslog' },
    data: { srcuser: 'admin', srcip: '192.0.2.7', srcport: '40022' },
  });
  assert.equal(second.truncated, true);
  assert.equal(second.full_log.length, 65_536);
  assert.deepEqual(second.data, { srcuser: 'alice', srcip: '198.51.100.4', srcport: '51000' });
  assert.equal(third.data['srcuser'], '\uFFFD');
  const info = await bus.jsm.streams.info(bus.streams.decoded, { subjects_filter: '>' });
  assert.deepEqual(Object.keys(info.state.subjects ?? {}), [bus.subjects.decoded(first.partition, 'edge-1')]);
  assert.equal(consumer.stats.deadLettered, 1);
});
