import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { vectorsFile } from '@vigil/wazuh-format/testing';
import { parseQueueMessage, predecode } from './predecode.ts';

interface PredecodeVector {
  input: string;
  location: string;
  agent_id: string;
  hostname: string;
  program_name: string | null;
  timestamp: string | null;
  log: string;
  full_log: string;
  hostname_note?: string;
}

const MANAGER = 'managerhost';

/** What Wazuh reports for a vector: agent name for agent events, else the parsed hostname or the manager's. */
function wazuhView(input: string) {
  const q = parseQueueMessage(input);
  assert.ok(q, `not a queue message: ${input}`);
  const pre = predecode(q.message);
  return {
    location: q.location,
    agent_id: q.agentId,
    hostname: q.agentName ?? pre.hostname ?? MANAGER,
    program_name: pre.program_name ?? null,
    timestamp: pre.timestamp ?? null,
    log: pre.log,
    full_log: q.message,
  };
}

test('pre-decoding conformance vectors (Wazuh C output)', (t) => {
  const file = vectorsFile();
  if (!file) return t.skip('wazuh-regex-predecode-vectors.json not found (set WAZUH_VECTORS_FILE)');
  const vectors = (JSON.parse(readFileSync(file, 'utf8')) as { predecode: PredecodeVector[] }).predecode;
  const failures: string[] = [];
  for (const v of vectors) {
    const { input, hostname_note: _note, ...want } = v;
    try {
      assert.deepEqual(wazuhView(input), want);
    } catch (err) {
      failures.push(`${input}: ${(err as Error).message}`);
    }
  }
  t.diagnostic(`predecode: ${vectors.length - failures.length}/${vectors.length} passed`);
  assert.deepEqual(failures, []);
});

test('pre-decoding: HOST : msg gives an empty program name, which differs from none', () => {
  assert.deepEqual(predecode('Dec 10 01:02:03 HOST : (root) CMD (x)'), {
    log: '(root) CMD (x)',
    timestamp: 'Dec 10 01:02:03',
    hostname: 'HOST',
    program_name: '',
  });
  assert.deepEqual(predecode('no header at all'), { log: 'no header at all' });
});

test('queue messages: | escapes in the location, agent prefix, malformed input', () => {
  assert.deepEqual(parseQueueMessage('1:a||b|:c:msg'), { queue: '1', location: 'a|b:c', agentId: '000', message: 'msg' });
  assert.deepEqual(parseQueueMessage('1:[007] (web) 10.0.0.1->/var/log/x:m'), {
    queue: '1',
    location: '(web) 10.0.0.1->/var/log/x',
    agentId: '007',
    agentName: 'web',
    message: 'm',
  });
  assert.equal(parseQueueMessage('1:[007 (web):m'), undefined);
  assert.equal(parseQueueMessage('1:'), undefined);
  assert.equal(parseQueueMessage('1:nolocation'), undefined);
});
