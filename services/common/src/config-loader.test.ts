import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { loadConfig } from './config-loader.ts';
import { ConfigError } from './errors.ts';
import { NatsConfig } from './nats-config.ts';

const Schema = Type.Object(
  {
    nats: NatsConfig,
    name: Type.String({ default: 'x' }),
  },
  { additionalProperties: false },
);

test('defaults fill every nested section', () => {
  const config = loadConfig(Schema, { document: {} });
  assert.equal(config.nats.url, 'nats://127.0.0.1:4222');
  assert.equal(config.nats.consumers.ackWaitSeconds, 30);
  assert.equal(config.nats.streams.raw.maxAgeHours, 24);
  assert.equal(config.name, 'x');
});

test('an unknown key is rejected with its dotted name', () => {
  assert.throws(
    () => loadConfig(Schema, { document: { nats: { consumers: { ackWait: 3 } } } }),
    (err: unknown) => err instanceof ConfigError && /unknown key 'nats\.consumers\.ackWait'/.test(err.message),
  );
  assert.throws(() => loadConfig(Schema, { document: { natz: {} } }), /unknown key 'natz'/);
});

test('a wrong type names the key and the value', () => {
  assert.throws(() => loadConfig(Schema, { document: { nats: { consumers: { batchSize: 'many' } } } }), /key 'nats\.consumers\.batchSize'.*"many"/);
});

test('environment overrides apply before validation', () => {
  const config = loadConfig(Schema, {
    document: {},
    env: { NATS_URL: 'nats://10.0.0.1:4222' },
    envOverrides: [{ variable: 'NATS_URL', key: 'nats.url' }],
  });
  assert.equal(config.nats.url, 'nats://10.0.0.1:4222');
});

test('a YAML syntax error names the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'nats:\n  url: "x\n  other: [\n');
  assert.throws(() => loadConfig(Schema, { file }), (err: unknown) => err instanceof ConfigError && err.message.startsWith(`${file}:`));
});

test('a missing file is a clear error', () => {
  assert.throws(() => loadConfig(Schema, { file: '/nonexistent/vigil.yaml' }), /\/nonexistent\/vigil.yaml: cannot read configuration file/);
});

test('a file with three problems lists all three, one per line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, 'nats:\n  urll: nats://x:4222\n  consumers:\n    ackWaitSeconds: soon\nnmae: y\n');
  assert.throws(
    () => loadConfig(Schema, { file }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const lines = err.message.split('\n');
      assert.ok(lines.some((l) => l.includes("unknown key 'nats.urll': did you mean 'url'?")), err.message);
      assert.ok(lines.some((l) => l.includes("key 'nats.consumers.ackWaitSeconds'")), err.message);
      assert.ok(lines.some((l) => l.includes("unknown key 'nmae': did you mean 'name'?")), err.message);
      return true;
    },
  );
});

test('each problem names its file and line: file:line: key: problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, '# comment\nnats:\n  urll: nats://x:4222\n  consumers:\n\n    ackWaitSeconds: soon\n  streams:\n    raw: { maxAgeHours: -5 }\nnmae: y\n');
  assert.throws(
    () => loadConfig(Schema, { file }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const lines = err.message.split('\n');
      assert.ok(lines.includes(`${file}:3: unknown key 'nats.urll': did you mean 'url'?`), err.message);
      assert.ok(lines.some((l) => l.startsWith(`${file}:6: key 'nats.consumers.ackWaitSeconds': `)), err.message);
      assert.ok(lines.some((l) => l.startsWith(`${file}:8: key 'nats.streams.raw.maxAgeHours': `)), err.message);
      assert.ok(lines.includes(`${file}:9: unknown key 'nmae': did you mean 'name'?`), err.message);
      return true;
    },
  );
});

test('a problem in a value from the environment names no line of the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, 'name: y\n');
  assert.throws(
    () => loadConfig(Schema, { file, env: { ACK: 'soon' }, envOverrides: [{ variable: 'ACK', key: 'nats.consumers.ackWaitSeconds' }] }),
    (err: unknown) => err instanceof ConfigError && err.message.startsWith(`${file}: key 'nats.consumers.ackWaitSeconds'`),
  );
});
