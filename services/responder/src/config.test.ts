import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '@vigil/common';
import { checkResponderConfig, ResponderConfig } from './config.ts';

const config = (document: unknown): ResponderConfig => Value.Default(ResponderConfig, structuredClone(document)) as ResponderConfig;

test('a new response is a dry run, local, with a 600 s timeout and a rate limit', () => {
  const c = config({ responses: [{ name: 'a', command: 'firewall-drop' }] });
  assert.ok(Value.Check(ResponderConfig, c));
  assert.deepEqual([c.responses[0]?.dryRun, c.responses[0]?.location, c.responses[0]?.timeoutSeconds, c.responses[0]?.rateLimit], [true, 'local', 600, { actions: 10, perSeconds: 60 }]);
});

test('start-up checks name the response at fault', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ responses: [{ name: 'a', command: 'firewall-drop' }, { name: 'a', command: 'host-deny' }] }, /responses\[1\] \(a\): the name is used twice/],
    [{ responses: [{ name: 'a', command: 'firewall-drop', location: 'agent' }] }, /location agent needs agent/],
    [{ responses: [{ name: 'a', command: 'custom' }] }, /command custom needs script/],
    [{ responses: [{ name: 'a', command: 'host-deny', script: 'x' }] }, /script is only for command custom/],
    [{ allow: { addresses: ['10.0.0.0/33'], users: [] } }, /responder\.allow\.addresses: allow-list entry '10\.0\.0\.0\/33'/],
  ];
  for (const [document, message] of cases) {
    assert.throws(() => checkResponderConfig(config(document)), (err: unknown) => err instanceof ConfigError && message.test(err.message), String(message));
  }
  checkResponderConfig(config({ responses: [{ name: 'a', command: 'custom', script: 's', location: 'all' }], allow: { addresses: ['10.42.0.0/16', 'fd00::/8', '192.0.2.1'], users: ['admin'] } }));
});
