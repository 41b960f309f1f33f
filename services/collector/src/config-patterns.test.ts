import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@vigil/common';
import { CollectorConfig } from './config.ts';
import { checkCollectorPatterns } from './config-patterns.ts';

test('a bad regular expression in the collector config fails at start, naming its key', () => {
  const config = loadConfig(CollectorConfig, { document: { fim: { ignorePatterns: ['ok$', '(unclosed'] } } });
  assert.throws(() => checkCollectorPatterns(config), (err: unknown) => err instanceof ConfigError && err.code === 'CONFIG_INVALID' && /collector\.fim\.ignorePatterns\[1\]/.test(err.message));
  const multiline = loadConfig(CollectorConfig, { document: { files: [{ path: '/x', format: 'multi-line-regex' }] } });
  assert.throws(() => checkCollectorPatterns(multiline), /collector\.files\[0\]\.multilineStart is required/);
});

test('unknown keys are rejected and defaults are filled in', () => {
  assert.throws(() => loadConfig(CollectorConfig, { document: { fim: { directories: [{ path: '/etc', recursion: 3 }] } } }), /recursion/);
  const config = loadConfig(CollectorConfig, { document: { fim: { directories: [{ path: '/etc' }] } } });
  assert.equal(config.fim.directories[0]?.recursionLevel, 256);
  assert.equal(config.fim.directories[0]?.checks.sha256, true);
  assert.equal(config.fim.frequencySeconds, 43200);
  assert.equal(config.spool.maxBytes, 256 * 1024 * 1024);
});
