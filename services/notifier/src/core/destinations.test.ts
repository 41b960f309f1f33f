import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@vigil/common';
import { NotifierConfig } from '../config.ts';
import { redactNotifierConfig, resolveDestinations } from './destinations.ts';

const config = (document: unknown) => loadConfig(NotifierConfig, { document });

test('slack.webhookUrl alone is the "default" destination with slack.minLevel and the noise defaults', () => {
  const c = config({ slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/SECRET' } });
  assert.deepEqual(resolveDestinations(c, {}), [
    {
      name: 'default',
      webhookUrl: 'https://hooks.slack.com/services/T/B/SECRET',
      durable: 'notifier',
      filter: { minLevel: 3 },
      foldWindowMs: 60_000,
      rateLimit: { messages: 1, perSeconds: 1 },
    },
  ]);
});

test('routes: each destination with its filter, URL from the file or an environment variable, own noise settings', () => {
  const c = config({
    noise: { foldWindowSeconds: 30 },
    destinations: [
      { name: 'fim', webhookUrlEnv: 'FIM_HOOK', filter: { groups: ['syscheck'] } },
      { name: 'critical', webhookUrl: 'https://hooks.slack.com/services/T/B/C', filter: { minLevel: 12 }, foldWindowSeconds: 0, rateLimit: { messages: 5, perSeconds: 10 } },
    ],
  });
  assert.deepEqual(resolveDestinations(c, { FIM_HOOK: 'https://hooks.slack.com/services/T/B/F' }), [
    { name: 'fim', webhookUrl: 'https://hooks.slack.com/services/T/B/F', durable: 'notifier-fim', filter: { minLevel: 0, groups: ['syscheck'] }, foldWindowMs: 30_000, rateLimit: { messages: 1, perSeconds: 1 } },
    { name: 'critical', webhookUrl: 'https://hooks.slack.com/services/T/B/C', durable: 'notifier-critical', filter: { minLevel: 12 }, foldWindowMs: 0, rateLimit: { messages: 5, perSeconds: 10 } },
  ]);
});

test('configuration mistakes fail loudly, naming the destination but never a URL', () => {
  assert.throws(() => config({ destinations: [{ name: 'x', webhookUrl: 'https://h', filter: { minLevle: 3 } }] }), /unknown key 'destinations.0.filter.minLevle'/);
  assert.throws(() => config({ destinations: [{ name: 'bad name', webhookUrl: 'https://h' }] }), ConfigError);
  assert.throws(() => resolveDestinations(config({ destinations: [{ name: 'x' }] }), {}), /destinations.0 \(x\): webhookUrl or webhookUrlEnv is required/);
  assert.throws(() => resolveDestinations(config({ destinations: [{ name: 'x', webhookUrlEnv: 'NOPE' }] }), {}), /NOPE \(webhookUrlEnv\) is not set/);
  assert.throws(
    () => resolveDestinations(config({ slack: { webhookUrl: 'https://a/SECRET' }, destinations: [{ name: 'default', webhookUrl: 'https://b/SECRET' }] }), {}),
    (err: Error) => /used twice/.test(err.message) && !err.message.includes('SECRET'),
  );
  assert.throws(() => resolveDestinations(config({ destinations: [{ name: 'x', webhookUrl: 'ftp://SECRET' }] }), {}), (err: Error) => !err.message.includes('SECRET'));
});

test('templates: slack.template for every destination, a destination\'s own first; a broken one or a wrong key is named', () => {
  const c = config({
    slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/D', template: '{{rule.description}} on {{agent.name}}' },
    destinations: [{ name: 'own', webhookUrl: 'https://hooks.slack.com/services/T/B/O', filter: {}, template: 'from {{data.srcip}}' }],
  });
  assert.deepEqual(resolveDestinations(c, {}).map((d) => [d.name, d.template]), [
    ['default', '{{rule.description}} on {{agent.name}}'],
    ['own', 'from {{data.srcip}}'],
  ]);
  assert.throws(
    () => resolveDestinations(config({ slack: { webhookUrl: 'https://h/S', template: '{{rule.id} x' } }), {}),
    (err: Error) => err instanceof ConfigError && /^notifier\.slack\.template: '\{\{rule\.id\}' is not a placeholder/.test(err.message),
  );
  assert.throws(
    () => resolveDestinations(config({ destinations: [{ name: 'x', webhookUrl: 'https://h/S', filter: {}, template: '{{a b}}' }] }), {}),
    /notifier\.destinations\.0\.template: '\{\{a b\}\}' is not a placeholder/,
  );
  assert.throws(() => config({ slack: { templat: 'x' } }), /templat/, 'a misspelt key is rejected by name');
});

test('a generic webhook destination: type webhook, its signing secret from the environment', () => {
  const c = config({ destinations: [{ name: 'siem', type: 'webhook', webhookUrl: 'https://siem.example/hook', secretEnv: 'SIEM_SECRET', filter: {} }] });
  assert.deepEqual(resolveDestinations(c, { SIEM_SECRET: 's3cret' })[0]?.webhook, { secret: 's3cret' });
  assert.throws(() => resolveDestinations(c, {}), /destinations.0 \(siem\): the environment variable SIEM_SECRET \(secretEnv\) is not set/);
  const unsigned = config({ destinations: [{ name: 'siem', type: 'webhook', webhookUrl: 'https://siem.example/hook', filter: {} }] });
  assert.deepEqual(resolveDestinations(unsigned, {})[0]?.webhook, {});
  const slack = config({ destinations: [{ name: 's', webhookUrl: 'https://h/S', secretEnv: 'X', filter: {} }] });
  assert.throws(() => resolveDestinations(slack, { X: 'y' }), /secretEnv is for type: webhook/);
});

test('redactNotifierConfig hides every webhook URL', () => {
  const c = config({ slack: { webhookUrl: 'https://a/SECRET1' }, destinations: [{ name: 'x', webhookUrl: 'https://b/SECRET2' }, { name: 'y', webhookUrlEnv: 'Y' }] });
  const text = JSON.stringify(redactNotifierConfig(c));
  assert.doesNotMatch(text, /SECRET/);
  assert.match(text, /"webhookUrlEnv":"Y"/);
});
