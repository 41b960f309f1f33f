import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inboxPrefixOf } from './nats-config.ts';

test('a connection takes its inbox prefix from its user unless one is configured', () => {
  assert.equal(inboxPrefixOf({}), '_INBOX');
  assert.equal(inboxPrefixOf({ user: 'rule-engine' }), '_INBOX_rule-engine');
  assert.equal(inboxPrefixOf({ user: 'odd.user' }), '_INBOX_odd_user');
  assert.equal(inboxPrefixOf({ user: 'x', inboxPrefix: 'MINE' }), 'MINE');
});
