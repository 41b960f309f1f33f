import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@vigil/common';
import { VigilConfig, loadVigilConfig } from './config.ts';
import { configExample } from './config-example.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

test('config.example.yaml is the generated documentation of every key (regenerate with scripts/generate-config-example.ts)', () => {
  assert.equal(readFileSync(join(repo, 'config.example.yaml'), 'utf8'), configExample());
});

test('config.example.yaml loads and gives exactly the defaults', () => {
  const fromExample = loadVigilConfig(join(repo, 'config.example.yaml'), {});
  assert.deepEqual(fromExample, loadConfig(VigilConfig, { document: {} }));
});

test('a typo in a key is rejected with its dotted name', () => {
  assert.throws(() => loadConfig(VigilConfig, { document: { collector: { pollIntervalMS: 10 } } }), /unknown key 'collector\.pollIntervalMS'/);
});

test('environment overrides: NATS_URL, agent name, Slack webhook', () => {
  const config = loadVigilConfig(undefined, { NATS_URL: 'nats://nats:4222', VIGIL_AGENT_NAME: 'node-7', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/x' });
  assert.equal(config.nats.url, 'nats://nats:4222');
  assert.equal(config.agent.name, 'node-7');
  assert.equal(config.notifier.slack.webhookUrl, 'https://hooks.slack.com/x');
});
